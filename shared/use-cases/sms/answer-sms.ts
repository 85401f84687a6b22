import { deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { actOnce } from "#delivery/act-once.ts";
import { askBySms } from "#delivery/ask-by-sms.ts";
import { formatLocalShort, sessionStartInstant } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import { maxMenuPicks, readSmsAnswer } from "#domain/sms-answer.ts";
import {
  sameQuestion,
  smsQuestionLifetimeDays,
  type AskedBySms,
  type SmsAnswerWord,
  type SmsQuestion,
} from "#domain/sms-question.ts";
import type { EventOf } from "#events/catalogue.ts";
import { firstNameOf } from "#messages/email-kit/render-email.ts";
import {
  smsAnswerMenu,
  smsAnswerReply,
  type MenuOption,
  type SmsAnswerNote,
} from "#messages/sms/answer-replies.ts";
import { renderUnreadText } from "#messages/sms/unread-text-email.ts";
import type { Ports } from "#ports/ports.ts";
import { answerRole } from "#use-cases/roles/answer-role.ts";
import { closedReason } from "#use-cases/rsvp/change-places.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { seriesCoordinators } from "#use-cases/series/series-coordinators.ts";
import type { VacancyPorts } from "#use-cases/vacancies/vacancy-facts.ts";

export type AnswerSmsPorts = VacancyPorts & Pick<Ports, "rsvps" | "sms" | "metrics">;

export type SmsAnswerOutcome =
  /** Acted on before (a redelivered SmsReceived): nothing is done again. */
  | { kind: "duplicate" }
  /** The member or the text's words are gone (erased, or kept past their time). */
  | { kind: "gone" }
  | { kind: "answered"; question: AskedBySms["kind"]; note: SmsAnswerNote }
  /** Several open questions: a numbered menu was texted; its pick answers. */
  | { kind: "menu"; options: number }
  /** Nothing matched, or no answer could be read: passed on to the group's coordinators. */
  | { kind: "unread"; coordinators: number };

const dayMs = 24 * 3600 * 1000;

/** One text being answered: for whom, its words, and the key its sends are claimed under. */
interface Received {
  deps: AnswerSmsPorts;
  event: EventOf<"SmsReceived">;
  member: Member;
  text: string;
  key: string;
}

/**
 * A member's text that is no keyword (SmsReceived) → the question it answers is answered.
 * 1. The words are read (readSmsAnswer): yes / no / maybe, a menu pick, or nothing readable.
 * 2. The question: the text of ours it replied to (previousPublishedMessageId), else for a pick
 *    the member's latest menu, else their one open question; several open → a numbered menu.
 * 3. An RSVP is recorded (source "sms"), a call for volunteers or an offer answered as by
 *    email; the member is told by text what became of it, including why nothing was (a
 *    cancelled or past session, a filled role).
 * 4. Anything else goes to the coordinators of the member's groups as "unread", by email.
 * Acted on once per text and member (a claim on the inboundMessageId); each text sent once.
 */
export const answerSms = async (
  deps: AnswerSmsPorts,
  event: EventOf<"SmsReceived">,
): Promise<SmsAnswerOutcome> => {
  const { organisationId } = event;
  const { memberId, inboundMessageId } = event.data;
  const [member, text] = await Promise.all([
    deps.store.getMember(organisationId, memberId),
    deps.store.inboundSmsText(inboundMessageId, organisationId, memberId),
  ]);
  if (!member || text === undefined) return { kind: "gone" };
  const key = `${encodeURIComponent(inboundMessageId)}#${memberId}`;
  const acted = await actOnce(deps.store, organisationId, `sms-answer#${key}`, deps.clock.now(), () =>
    act({ deps, event, member, text, key }),
  );
  return acted ?? { kind: "duplicate" };
};

const act = async (received: Received): Promise<SmsAnswerOutcome> => {
  const { deps, event, member, text } = received;
  const reading = readSmsAnswer(text);
  if (reading.kind === "unreadable") return passOn(received);
  const replied = await repliedTo(deps, member, event.data.previousPublishedMessageId);
  const now = deps.clock.now();
  const recent = await deps.store.listSmsQuestions(
    member.organisationId,
    member.id,
    new Date(now.getTime() - smsQuestionLifetimeDays * dayMs),
  );

  if (reading.kind === "pick") {
    const menu = replied?.about.kind === "menu" ? replied : recent.find((q) => q.about.kind === "menu");
    const option = menu?.about.kind === "menu" ? menu.about.options[reading.number - 1] : undefined;
    if (!menu || menu.about.kind !== "menu" || !option) return passOn(received);
    // The texts that asked it are answered with the menu.
    const asked = recent.filter((q) => q.about.kind !== "menu" && sameQuestion(q.about, option));
    return answer(received, [menu, ...asked], option, menu.about.answer);
  }
  if (replied && replied.about.kind !== "menu")
    return answer(received, [replied], replied.about, reading.kind);

  const open: { question: SmsQuestion; about: AskedBySms }[] = [];
  for (const question of recent) {
    const about = question.about;
    if (about.kind === "menu" || question.answeredAt) continue;
    if (open.some((o) => sameQuestion(o.about, about))) continue;
    if (await stillOpen(deps, member, about, now)) open.push({ question, about });
  }
  const [only] = open;
  if (open.length === 0 || !only) return passOn(received);
  if (open.length === 1) return answer(received, [only.question], only.about, reading.kind);
  // In the order they were asked: the first text the member got is 1.
  return askWhich(
    received,
    open
      .slice(0, maxMenuPicks)
      .reverse()
      .map((o) => o.about),
    reading.kind,
  );
};

/** The question of ours the text replied to, if it was the member's own. */
const repliedTo = async (deps: AnswerSmsPorts, member: Member, messageId: string | undefined) => {
  const question = messageId ? await deps.store.getSmsQuestion(messageId) : undefined;
  return question?.organisationId === member.organisationId && question.memberId === member.id
    ? question
    : undefined;
};

/** Whether the question can still be answered: a session to come, a vacancy not yet over. */
const stillOpen = async (deps: AnswerSmsPorts, member: Member, about: AskedBySms, now: Date) => {
  if (about.kind === "rsvp") {
    const session = await deps.store.getSession(member.organisationId, about.groupId, about.sessionId);
    return closedReason(session, now) === undefined;
  }
  const role = await deps.roles.getRole(member.organisationId, about.groupId, about.roleId);
  return role?.vacantSince === about.vacantSince;
};

/**
 * Acts on the answer for the question, tells the member by text, then marks the texts that
 * asked it answered: last, so a retry after a failure finds the question as the first try did.
 */
const answer = async (
  received: Received,
  questions: readonly SmsQuestion[],
  about: AskedBySms,
  word: SmsAnswerWord,
): Promise<SmsAnswerOutcome> => {
  const note = await noteOf(received, about, word);
  if (note === undefined) return passOn(received);
  await textMember(received, smsAnswerReply(note));
  const now = received.deps.clock.now();
  await Promise.all(questions.map((q) => received.deps.store.markSmsQuestionAnswered(q, now)));
  return { kind: "answered", question: about.kind, note };
};

/** What the answer did; undefined when it does not fit the question ("maybe" to an offer). */
const noteOf = async (
  { deps, event, member }: Received,
  about: AskedBySms,
  word: SmsAnswerWord,
): Promise<SmsAnswerNote | undefined> => {
  const { organisationId: o, id: memberId } = member;
  if (about.kind === "rsvp") {
    const outcome = await recordRsvp(
      deps,
      {
        organisationId: o,
        groupId: about.groupId,
        sessionId: about.sessionId,
        memberId,
        answer: word,
        source: "sms",
        answeredAt: new Date(event.data.receivedAt),
        messageKey: `sms#${event.data.inboundMessageId}`,
        correlationId: event.id,
      },
      deps.metrics,
    );
    switch (outcome.kind) {
      case "session-cancelled":
      case "session-past":
      case "not-asked":
      case "not-a-member":
        return outcome.kind;
      case "no-session":
        return "session-cancelled";
      default:
        if (word === "yes")
          return outcome.kind === "recorded" && outcome.place === "waiting" ? "waiting" : "coming";
        return word === "no" ? "not-coming" : "maybe";
    }
  }
  const ref = { organisationId: o, ...about, memberId, purpose: about.kind };
  if (about.kind === "call" && word !== "yes") return "not-volunteering";
  if (about.kind === "offer" && word === "maybe") return undefined;
  const roleAnswer = about.kind === "call" ? "volunteer" : word === "yes" ? "accept" : "decline";
  const outcome = await answerRole(deps, ref, { kind: roleAnswer }, event.id);
  switch (outcome) {
    case "volunteered":
    case "already-volunteered":
      return "volunteered";
    case "accepted":
    case "declined":
    case "not-a-member":
      return outcome;
    default:
      return "role-filled";
  }
};

/** Several questions are open: the member picks by number; the menu keeps their answer. */
const askWhich = async (
  { deps, member, key }: Received,
  options: AskedBySms[],
  word: SmsAnswerWord,
): Promise<SmsAnswerOutcome> => {
  const described = await Promise.all(options.map((o) => describe(deps, member, o)));
  await deliverOnce(deps.store, member.organisationId, `sms-answer-menu#${key}`, deps.clock.now(), () =>
    askBySms(
      deps,
      member,
      { to: member.phone!, body: smsAnswerMenu(described) },
      {
        kind: "menu",
        answer: word,
        options,
      },
    ),
  );
  return { kind: "menu", options: options.length };
};

const describe = async (deps: AnswerSmsPorts, member: Member, about: AskedBySms): Promise<MenuOption> => {
  if (about.kind === "rsvp") {
    const session = await deps.store.getSession(member.organisationId, about.groupId, about.sessionId);
    const startsAtLocal = session
      ? formatLocalShort(sessionStartInstant(session.startLocal, session.timeZone), session.timeZone)
      : "";
    return { kind: "rsvp", startsAtLocal };
  }
  const catalogue = await deps.roles.getCatalogue(member.organisationId);
  const roleName = catalogue.find((d) => d.id === about.roleId)?.name ?? about.roleId;
  return { kind: about.kind, roleName };
};

/** A reply to the member's number, once per text. */
const textMember = ({ deps, member, key }: Received, body: string) =>
  member.phone
    ? deliverOnce(deps.store, member.organisationId, `sms-answer-reply#${key}`, deps.clock.now(), () =>
        deps.sms.send({ to: member.phone!, body }),
      )
    : undefined;

/** The text, unread, to the coordinators of each of the member's groups, once each. */
const passOn = async ({ deps, event, member, text, key }: Received): Promise<SmsAnswerOutcome> => {
  const groupIds = await deps.store.listMemberGroupIds(member.organisationId, member.id);
  const groups = (
    await Promise.all(groupIds.map((g) => deps.store.getGroup(member.organisationId, g)))
  ).flatMap((g) => (g ? [g] : []));
  const sends = (
    await Promise.all(
      groups.map(async (group) =>
        (await seriesCoordinators(deps, group)).filter((c) => c.id !== member.id).map((c) => ({ group, c })),
      ),
    )
  ).flat();
  await deliverEach(sends, ({ group, c }) => {
    const email = renderUnreadText({
      groupName: group.name,
      firstName: firstNameOf(c),
      memberName: member.name,
      text,
      receivedAtLocal: formatLocalShort(new Date(event.data.receivedAt), group.timeZone),
    });
    return deliverOnce(deps.store, member.organisationId, `sms-unread#${key}#${c.id}`, deps.clock.now(), () =>
      deps.mailer.send({ ...toMember(c, group.id), from: deps.settings.fromAddress, ...email }),
    );
  });
  return { kind: "unread", coordinators: sends.length };
};
