import { randomUUID } from "node:crypto";
import type { ConsentRecord } from "#domain/consent.ts";
import type { Channel, Member } from "#domain/member.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import { consentRecordItem, inboundSmsItem, memberItem } from "./items.ts";
import { keys } from "./keys.ts";
import { under, type TableClient } from "./table-client.ts";
import { isNew, type Write } from "./writes.ts";

/** Longer than AWS redelivers an inbound text (SNS retries, Lambda async retries). */
const inboundLifetimeSeconds = 31 * 24 * 3600;

/**
 * The SMS side of the member store (DynamoStore delegates here): members found by phone
 * number across organisations, their consent (current on the member item, every change kept
 * beside it), and inbound texts taken once per member by AWS's inboundMessageId.
 */
export class DynamoSmsConsent {
  constructor(private readonly table: TableClient) {}

  /** GSI1: member items carry a digest of their number as the second key (see memberPut). */
  async findMembersByPhone(phone: string): Promise<Member[]> {
    const members = await this.table.queryAll(memberItem, {
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk",
      ExpressionAttributeValues: { ":pk": keys.membersWithPhone(phone).GSI1PK },
    });
    // The index is eventually consistent: a number changed a moment ago may still be listed.
    return members.filter((m) => m.phone === phone);
  }

  async recordSmsConsent(
    record: ConsentRecord,
    events: readonly ConveneEvent[],
    inboundMessageId?: string,
  ): Promise<"recorded" | "unchanged" | "duplicate" | "no-member"> {
    const { organisationId: o, memberId: m, state, at, how, wordingVersion } = record;
    const seen = inboundMessageId
      ? this.seen(keys.inboundSms(inboundMessageId, o, m), new Date(at))
      : undefined;
    const writes: Write<"duplicate" | "unchanged">[] = [
      ...(seen ? [{ ...seen, failed: "duplicate" as const }] : []),
      {
        update: keys.member(o, m),
        changes: "SET smsConsent = :consent",
        // No consent recorded yet counts as either: a member from before records may be given
        // their first record by a STOP as well as by a START.
        condition:
          "attribute_exists(PK) AND (attribute_not_exists(smsConsent) OR smsConsent.#state <> :state)",
        names: { "#state": "state" },
        values: { ":consent": { state, at, how, wordingVersion }, ":state": state },
        failed: "unchanged",
      },
      {
        put: consentRecordItem.item(
          keys.consentRecord(o, m, "sms", at, inboundMessageId ?? randomUUID()),
          record,
        ),
        ...isNew,
      },
    ];
    const failed = await this.table.write(writes, { events, conflictAttempts: 5 });
    if (failed.length === 0) return "recorded";
    // A transaction need not report every failed condition: a seen text may hide behind the member's.
    const seenBefore =
      failed.includes("duplicate") ||
      (inboundMessageId !== undefined && (await this.table.exists(keys.inboundSms(inboundMessageId, o, m))));
    if (seenBefore) return "duplicate";
    return (await this.table.exists(keys.member(o, m))) ? "unchanged" : "no-member";
  }

  listConsentRecords(organisationId: string, memberId: string, channel: Channel): Promise<ConsentRecord[]> {
    return this.table.queryAll(
      consentRecordItem,
      under(keys.consentRecordsOf(organisationId, memberId, channel)),
    );
  }

  async takeInboundSms(
    inboundMessageId: string,
    { organisationId, memberId }: { organisationId: string; memberId: string },
    expiresAt: Date,
    events: readonly ConveneEvent[],
    text?: string,
  ): Promise<"taken" | "duplicate"> {
    const put = inboundSmsItem.item(keys.inboundSms(inboundMessageId, organisationId, memberId), {
      expiresAt: Math.floor(expiresAt.getTime() / 1000),
      ...(text === undefined ? {} : { text }),
    });
    const failed = await this.table.write([{ put, ...isNew, failed: "duplicate" }], { events });
    return failed.length ? "duplicate" : "taken";
  }

  /** The mark that an inbound text was acted on for a member, new only. */
  private seen(key: ReturnType<typeof keys.inboundSms>, at: Date) {
    return {
      put: inboundSmsItem.item(key, {
        expiresAt: Math.floor(at.getTime() / 1000) + inboundLifetimeSeconds,
      }),
      ...isNew,
    };
  }
}
