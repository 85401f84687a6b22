import { notFound } from "#domain/errors.ts";
import type { GroupFeedSettings, MemberFeedRef } from "#domain/calendar-feed.ts";
import type { Session } from "#domain/session.ts";
import type { CalendarFeedStore } from "#ports/calendar-feed-store.ts";
import { calendarFeedTokenItem, groupFeedSettingsItem, memberFeedTokenItem, sessionItem } from "./items.ts";
import { keys } from "./keys.ts";
import { under, type TableClient } from "./table-client.ts";
import { isNew, mustExist, type Write } from "./writes.ts";

/**
 * Calendar feeds' items in the single table: a group's settings beside its sessions, a
 * member's token digest under the member, and the digest's lookup item, which is all a feed
 * request can be resolved by.
 */
export class DynamoCalendarFeedStore implements CalendarFeedStore {
  constructor(private readonly table: TableClient) {}

  getFeedSettings(o: string, g: string): Promise<GroupFeedSettings | undefined> {
    return this.table.get(groupFeedSettingsItem, keys.groupFeedSettings(o, g));
  }

  async putFeedSettings(settings: GroupFeedSettings): Promise<void> {
    const { organisationId: o, groupId: g } = settings;
    const failed = await this.table.write([
      mustExist(keys.group(o, g), "no-group"),
      { put: groupFeedSettingsItem.item(keys.groupFeedSettings(o, g), settings) },
    ]);
    if (failed.length) throw notFound("group");
  }

  /**
   * One transaction: the member must exist, the member's item moves to the new digest only if
   * it still holds the one read (a concurrent rotation retries), the old lookup item goes and
   * the new one comes.
   */
  async replaceMemberFeedToken(ref: MemberFeedRef, tokenDigest: string, issuedAt: string): Promise<void> {
    const { organisationId: o, memberId: m } = ref;
    for (let attempt = 1; ; attempt++) {
      const previous = await this.table.get(memberFeedTokenItem, keys.memberFeedToken(o, m));
      const failed = await this.table.write<"no-member" | "changed">([
        mustExist(keys.member(o, m), "no-member"),
        {
          put: memberFeedTokenItem.item(keys.memberFeedToken(o, m), { tokenDigest, issuedAt }),
          ...holds(previous?.tokenDigest),
          failed: "changed",
        },
        ...(previous ? [{ delete: keys.calendarFeedToken(previous.tokenDigest) }] : []),
        { put: calendarFeedTokenItem.item(keys.calendarFeedToken(tokenDigest), ref), ...isNew },
      ]);
      if (failed.includes("no-member")) throw notFound("member");
      if (failed.length === 0) return;
      if (attempt >= 3) throw new Error("the member's feed token kept changing while it was replaced");
    }
  }

  async revokeMemberFeedToken(ref: MemberFeedRef): Promise<boolean> {
    const { organisationId: o, memberId: m } = ref;
    const previous = await this.table.get(memberFeedTokenItem, keys.memberFeedToken(o, m));
    if (!previous) return false;
    const failed = await this.table.write<"changed">([
      { delete: keys.memberFeedToken(o, m), ...holds(previous.tokenDigest), failed: "changed" },
      { delete: keys.calendarFeedToken(previous.tokenDigest) },
    ]);
    // Rotated meanwhile: revoke what is there now.
    return failed.length === 0 ? true : this.revokeMemberFeedToken(ref);
  }

  resolveMemberFeedToken(tokenDigest: string): Promise<MemberFeedRef | undefined> {
    return this.table.get(calendarFeedTokenItem, keys.calendarFeedToken(tokenDigest));
  }

  listFeedSessions(o: string, g: string, fromDate: string): Promise<Session[]> {
    const query = under(keys.sessionsOf(o, g));
    return this.table.queryAll(sessionItem, {
      ...query,
      FilterExpression: "startLocal >= :from",
      ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ":from": fromDate },
    });
  }
}

/** The member's token item holds this digest (or, undefined, does not exist). */
const holds = (digest: string | undefined): Pick<Write, "condition" | "values"> =>
  digest === undefined ? isNew : { condition: "tokenDigest = :held", values: { ":held": digest } };
