import { deliverOnce, type DeliveryOutcome } from "#delivery/deliver-once.ts";
import { unversionedWording, type ConsentState } from "#domain/consent.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { optOutKeywords, readInboundSms } from "#domain/sms-keywords.ts";
import { helpReply, optedInReply, optedOutReply } from "#messages/sms/keyword-replies.ts";
import type { Ports } from "#ports/ports.ts";
import { SmsRecipientOptedOutError } from "#ports/sms-sender.ts";
import { changeSmsConsent } from "./change-sms-consent.ts";
import type { InboundSmsPayload } from "./inbound-sms-payload.ts";

/** Longer than AWS redelivers an inbound text; an answer's words are kept this long. */
const inboundLifetimeMs = 31 * 24 * 3600 * 1000;

/**
 * Our answer to a keyword: sent, sent before (a redelivered text), or refused by the provider
 * because the number is on its opt-out list, which then answered STOP itself (AWS's keyword reply).
 */
export type KeywordReply = DeliveryOutcome | "provider-opted-out";

export type SmsReceivedOutcome =
  /** No member of any organisation has the number: nothing is answered (not even HELP). */
  | { kind: "unknown-number" }
  /** Blank, or longer than an inbound SMS can be: nothing to act on. */
  | { kind: "ignored"; reason: "empty" | "too-long" }
  | { kind: "opted-out" | "opted-in"; members: number; changed: number; reply: KeywordReply }
  | { kind: "help"; reply: KeywordReply }
  /** An answer: SmsReceived for each member with the number, once. */
  | { kind: "received"; members: number; taken: number };

/**
 * An inbound text → its keyword acted on, or the text passed on.
 * 1. The members with the sending number are found in every organisation: with one sending
 *    number per deployment, the number is all that says whose text it is. A number shared by
 *    members (of one organisation or several) acts for each of them.
 * 2. An opt-out word (read from the text, or matched by AWS's own opt-out list, which Convene
 *    mirrors) withdraws SMS consent for every one of them at once; START or UNSTOP gives it
 *    again; each change is one transaction with its record and events, once per text.
 * 3. STOP, START and HELP are answered with one text, once per inboundMessageId (deliverOnce).
 * 4. Anything else is kept for each member with SmsReceived, once per text.
 * Nothing of the number or the text is logged.
 */
export const receiveSms = async (
  ports: Pick<Ports, "store" | "sms" | "clock">,
  payload: InboundSmsPayload,
): Promise<SmsReceivedOutcome> => {
  const { store } = ports;
  const members = await store.findMembersByPhone(payload.originationNumber);
  if (members.length === 0) return { kind: "unknown-number" };
  const now = ports.clock.now();
  const read = readInboundSms(payload.messageBody);
  const awsOptOut = (optOutKeywords as readonly string[]).includes(
    (payload.messageKeyword ?? "").trim().toUpperCase(),
  );
  const kind = awsOptOut ? "opt-out" : read.kind;

  if (kind === "opt-out" || kind === "opt-in") {
    const state: ConsentState = kind === "opt-out" ? "withdrawn" : "given";
    const outcomes = await Promise.all(
      members.map((member) => changeConsent(ports, member, state, payload.inboundMessageId, now)),
    );
    const names = await organisationNames(ports, members);
    const reply = await replyOnce(ports, payload, members, now, () =>
      state === "withdrawn" ? optedOutReply(names) : optedInReply(names),
    );
    return {
      kind: state === "withdrawn" ? "opted-out" : "opted-in",
      members: members.length,
      changed: outcomes.filter((o) => o === "recorded").length,
      reply,
    };
  }
  if (kind === "help") {
    const names = await organisationNames(ports, members);
    return { kind: "help", reply: await replyOnce(ports, payload, members, now, () => helpReply(names)) };
  }
  if (read.kind === "empty" || read.kind === "too-long") return { kind: "ignored", reason: read.kind };
  if (read.kind !== "answer") throw new Error(`unhandled inbound SMS reading ${read.kind}`);

  const expiresAt = new Date(now.getTime() + inboundLifetimeMs);
  const taken = await Promise.all(
    members.map(async (member) => {
      const groupIds = (await store.listMemberGroupIds(member.organisationId, member.id)).sort();
      const events = groupIds.slice(0, 1).map((groupId) =>
        newEvent(
          "SmsReceived",
          { organisationId: member.organisationId, groupId },
          {
            memberId: member.id,
            inboundMessageId: payload.inboundMessageId,
            ...(payload.previousPublishedMessageId
              ? { previousPublishedMessageId: payload.previousPublishedMessageId }
              : {}),
            receivedAt: now.toISOString(),
          },
          now,
        ),
      );
      const owner = { organisationId: member.organisationId, memberId: member.id };
      return store.takeInboundSms(payload.inboundMessageId, owner, expiresAt, events, read.text);
    }),
  );
  return { kind: "received", members: members.length, taken: taken.filter((t) => t === "taken").length };
};

/** Records the member's SMS consent as given or withdrawn by text, once per text. */
const changeConsent = (
  ports: Pick<Ports, "store">,
  member: Member,
  state: ConsentState,
  inboundMessageId: string,
  now: Date,
) =>
  changeSmsConsent(
    ports,
    member,
    // A text shows no wording: the consent it gives rests on the wording the member last saw.
    {
      state,
      how: "keyword",
      wordingVersion: member.smsConsent?.wordingVersion ?? unversionedWording,
      inboundMessageId,
    },
    now,
  );

/** The organisations of the members, by name, in a stable order. */
const organisationNames = async ({ store }: Pick<Ports, "store">, members: readonly Member[]) => {
  const ids = [...new Set(members.map((m) => m.organisationId))].sort();
  const organisations = await Promise.all(ids.map((id) => store.getOrganisation(id)));
  return organisations.flatMap((o) => (o ? [o.name] : []));
};

/**
 * One answer per inbound text however often it is delivered: claimed under the first
 * organisation (by id) of the members with the number. A refusal for an opted-out number is
 * final (it would be refused again on every retry), not an error.
 */
const replyOnce = (
  ports: Pick<Ports, "store" | "sms">,
  payload: InboundSmsPayload,
  members: readonly Member[],
  now: Date,
  body: () => string,
): Promise<KeywordReply> => {
  const organisationId = members.map((m) => m.organisationId).sort()[0]!;
  return deliverOnce(
    ports.store,
    organisationId,
    `sms-reply#${encodeURIComponent(payload.inboundMessageId)}`,
    now,
    () => ports.sms.send({ to: payload.originationNumber, body: body() }),
  ).catch((error: unknown) => {
    if (error instanceof SmsRecipientOptedOutError) return "provider-opted-out" as const;
    throw error;
  });
};
