import type { Rsvp, RsvpRef, RsvpSettings, SessionPlaces } from "#domain/rsvp.ts";
import type { RsvpPrivacy } from "#domain/rsvp-privacy.ts";
import { namesKept, type NamedAttendance } from "#domain/named-attendance.ts";
import type { Session } from "#domain/session.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { PlacesChange, PlacesWriteOutcome, RsvpStore } from "#ports/rsvp-store.ts";
import {
  attendedNamesItem,
  inboundMessageItem,
  memberRsvpTokenItem,
  rsvpItem,
  rsvpNameOptInItem,
  rsvpPrivacyItem,
  rsvpReplyTokenItem,
  seriesRsvpSettingsItem,
  sessionPlacesItem,
} from "./items.ts";
import { keys } from "./keys.ts";
import { putWhileExists } from "./put-while-exists.ts";
import { replaceSessionVersion } from "./session-item.ts";
import { under, type TableClient } from "./table-client.ts";
import { isNew, mustExist, type Write } from "./writes.ts";

/** Inbound message ids are kept a month, as for ballots: far longer than any mail redelivery. */
const inboundLifetimeSeconds = 31 * 24 * 3600;

type Failure = Exclude<PlacesWriteOutcome, "written">;

/** A session's places and its members' answers, in one partition per session. */
export class DynamoRsvpStore implements RsvpStore {
  constructor(private readonly table: TableClient) {}

  getPlaces(organisationId: string, sessionId: string): Promise<SessionPlaces | undefined> {
    return this.table.get(sessionPlacesItem, keys.sessionPlaces(organisationId, sessionId));
  }

  getRsvp(organisationId: string, sessionId: string, memberId: string): Promise<Rsvp | undefined> {
    return this.table.get(rsvpItem, keys.rsvp(organisationId, sessionId, memberId));
  }

  listRsvps(organisationId: string, sessionId: string): Promise<Rsvp[]> {
    return this.table.queryAll(rsvpItem, under(keys.rsvpsOf(organisationId, sessionId)));
  }

  /** One read when the token exists; a two-item write the first time. */
  rsvpToken(ref: RsvpRef, candidate: string): Promise<string> {
    return this.table.replyToken(
      {
        key: keys.memberRsvpToken(ref.organisationId, ref.sessionId, ref.memberId),
        kind: memberRsvpTokenItem,
      },
      { key: keys.rsvpReplyToken(candidate), kind: rsvpReplyTokenItem },
      ref,
      candidate,
    );
  }

  resolveRsvpToken(token: string): Promise<RsvpRef | undefined> {
    return this.table.get(rsvpReplyTokenItem, keys.rsvpReplyToken(token));
  }

  getSeriesSettings(organisationId: string, seriesId: string): Promise<RsvpSettings | undefined> {
    return this.table.get(seriesRsvpSettingsItem, keys.seriesRsvpSettings(organisationId, seriesId));
  }

  async setSeriesSettings(o: string, g: string, seriesId: string, settings: RsvpSettings): Promise<boolean> {
    const failed = await this.table.write([
      mustExist(keys.series(o, g, seriesId), "no-series"),
      { put: seriesRsvpSettingsItem.item(keys.seriesRsvpSettings(o, seriesId), settings) },
    ]);
    return failed.length === 0;
  }

  getPrivacy(o: string, g: string): Promise<RsvpPrivacy | undefined> {
    return this.table.get(rsvpPrivacyItem, keys.rsvpPrivacy(o, g));
  }

  putPrivacy(privacy: RsvpPrivacy): Promise<boolean> {
    const { organisationId: o, groupId: g } = privacy;
    return putWhileExists(this.table, keys.group(o, g), rsvpPrivacyItem, keys.rsvpPrivacy(o, g), privacy);
  }

  async setNameOptIn(o: string, g: string, memberId: string, optedInAt?: string): Promise<boolean> {
    const key = keys.rsvpNameOptIn(o, g, memberId);
    // Withdrawing needs no membership: a member who left has theirs removed after the membership.
    if (!optedInAt) return (await this.table.write([{ delete: key }])).length === 0;
    const failed = await this.table.write([
      mustExist(keys.membership(o, g, memberId), "not-a-member"),
      { put: rsvpNameOptInItem.item(key, { memberId, optedInAt }) },
    ]);
    return failed.length === 0;
  }

  async listNameOptIns(o: string, g: string): Promise<Set<string>> {
    const { PK, SK } = keys.rsvpNameOptIn(o, g);
    const items = await this.table.queryAll(rsvpNameOptInItem, under({ PK, SKPrefix: SK }));
    return new Set(items.map((i) => i.memberId));
  }

  async getNamedAttendance(o: string, g: string, s: string, now: Date): Promise<NamedAttendance | undefined> {
    const names = await this.table.get(attendedNamesItem, keys.attendedNames(o, g, s));
    // TTL deletes an expired item late: past its time it is as good as gone.
    return names && namesKept(names.expiresAt, now) ? names : undefined;
  }

  recordNamedAttendance(
    session: Session,
    expectedVersion: number,
    names: NamedAttendance,
    event: ConveneEvent,
  ): Promise<void> {
    const key = keys.attendedNames(names.organisationId, names.groupId, names.sessionId);
    return replaceSessionVersion(this.table, session, expectedVersion, event, [
      { put: attendedNamesItem.item(key, names) },
    ]);
  }

  async changePlaces({ places, rsvp, messageKey, now, events }: PlacesChange): Promise<PlacesWriteOutcome> {
    const { organisationId: o, groupId: g, sessionId: s } = places;
    const seen = messageKey && {
      put: inboundMessageItem.item(keys.inboundMessage(o, messageKey), {
        expiresAt: Math.floor(now.getTime() / 1000) + inboundLifetimeSeconds,
      }),
      ...isNew,
    };
    const writes: Write<Failure>[] = [
      {
        check: keys.session(o, g, s),
        condition: "#status = :scheduled",
        names: { "#status": "status" },
        values: { ":scheduled": "scheduled" },
        failed: "session-not-scheduled",
      },
      {
        put: sessionPlacesItem.item(keys.sessionPlaces(o, s), places),
        // The version read: of two answers decided on the same places, one is written.
        ...(places.version === 1
          ? isNew
          : { condition: "version = :read", values: { ":read": places.version - 1 } }),
        failed: "stale",
      },
      ...(seen ? [{ ...seen, failed: "duplicate-message" as const }] : []),
      ...(rsvp
        ? [
            {
              put: rsvpItem.item(keys.rsvp(o, s, rsvp.memberId), rsvp),
              condition: "attribute_not_exists(PK) OR answeredAt <= :answeredAt",
              values: { ":answeredAt": rsvp.answeredAt },
              failed: "superseded" as const,
            },
          ]
        : []),
    ];
    const failed = await this.table.write(writes, { events });
    if (failed.length === 0) return "written";
    // A transaction need not report every failed condition; these come first, in this order.
    for (const outcome of ["duplicate-message", "session-not-scheduled", "superseded"] as const)
      if (failed.includes(outcome)) {
        // An older answer arriving after a newer one: its message is remembered, not retried.
        if (outcome === "superseded" && seen) await this.table.write([{ ...seen, failed: "seen-before" }]);
        return outcome;
      }
    return "stale";
  }
}
