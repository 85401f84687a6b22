import { randomUUID } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { EventOf, EventType } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { createOfferPlace } from "#functions/offer-place/handler.ts";
import type { LocalRuntime } from "#infra/local/composition-root.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import { countsOf } from "#domain/rsvp.ts";
import type { Session } from "#domain/session.ts";
import type { RsvpStore } from "#ports/rsvp-store.ts";
import {
  createGroup,
  createMember,
  createOrganisation,
  joinGroup,
} from "#use-cases/directory/manage-directory.ts";
import { leaveGroupWithRoles } from "#use-cases/roles/role-holders.ts";
import { recordRsvp } from "#use-cases/rsvp/record-rsvp.ts";
import { setNameOptIn } from "#use-cases/rsvp/set-name-opt-in.ts";
import { setRsvpPrivacy } from "#use-cases/rsvp/set-rsvp-privacy.ts";
import { anAskingSession, rsvpRuntime } from "./rsvp-runtime.ts";

// Leaving a group frees the member's places, against DynamoDB Local and the SES emulator with
// the local engine delivering the events: each session to come where they held a place, an offer
// or a waiting place is answered "no" for them, the freed place is offered to the first waiting
// once (however often MemberLeftGroup comes, and after a run that died half-way), and their
// choice to show their name is gone.

const domain = `left-${randomUUID().slice(0, 8)}.example.org`;
const tableName = `left-${randomUUID()}`;
let runtime: LocalRuntime;
let engine: LocalEngine;
let organisationId: string;

beforeAll(async () => {
  runtime = await rsvpRuntime(tableName);
  engine = new LocalEngine(runtime);
  organisationId = (await createOrganisation(runtime.ports, { name: "Leavers Network" })).id;
});

afterAll(async () => {
  await engine.stop();
});

/** A group of the named members, opting in to names, and `sessions` sessions 3, 4… days ahead asking with 2 places. */
const aGroup = async <W extends string>(who: readonly W[], count: number) => {
  const groupId = (
    await createGroup(runtime.ports, organisationId, {
      name: "Riverside Carers' Circle",
      timeZone: "Europe/London",
      leadershipModel: "collective",
    })
  ).id;
  await setRsvpPrivacy(runtime.ports, organisationId, groupId, { names: "opt-in", attendance: "headcount" });
  const ids = {} as Record<W, string>;
  for (const name of who) {
    const m = await createMember(runtime.ports, organisationId, {
      name: `${name} Person`,
      email: `${name}-${randomUUID().slice(0, 6)}@${domain}`,
      reminders: [],
    });
    ids[name] = m.id;
    await joinGroup(runtime.ports, organisationId, groupId, m.id);
  }
  const sessions: Session[] = [];
  for (let i = 0; i < count; i++)
    sessions.push(await anAskingSession(runtime, { organisationId, groupId }, 3 + i, 2));
  return { groupId, ids, sessions };
};

const yes = async (groupId: string, session: Session, memberId: string) =>
  expect(
    await recordRsvp(runtime.ports, {
      organisationId,
      groupId,
      sessionId: session.id,
      memberId,
      answer: "yes",
      source: "reply",
      answeredAt: runtime.clock.now(),
    }),
  ).toMatchObject({ kind: "recorded" });

const placesOf = async (session: Session) =>
  (await runtime.ports.rsvps.getPlaces(organisationId, session.id))!;
const statusOf = async (session: Session, memberId: string) =>
  (await placesOf(session)).holders.find((h) => h.memberId === memberId)?.status;

/** The events of one type this organisation's changes wrote to the outbox (a test may Scan). */
const outboxOf = async <K extends EventType>(type: K): Promise<EventOf<K>[]> => {
  const items = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await runtime.store.doc.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        FilterExpression: "kind = :outbox AND begins_with(PK, :pk)",
        ExpressionAttributeValues: { ":outbox": "outbox", ":pk": `ORG#${organisationId}#OUTBOX#` },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items
    .map((i) => parseEvent(JSON.parse(i.detail as string)))
    .filter((e): e is EventOf<K> => e.type === type);
};
const offersOf = async (session: Session) =>
  (await outboxOf("PlaceOffered")).filter((e) => e.data.sessionId === session.id);
const offerEmails = async (session: Session) =>
  (await readSesStore(inject("sesEndpoint"))).filter(
    (e) => e.subject.startsWith("A place for you:") && e.subject.includes(session.title),
  );
const leftEventOf = async (memberId: string) =>
  (await outboxOf("MemberLeftGroup")).find((e) => e.data.memberId === memberId)!;

describe("a member leaving the group", () => {
  it("gives up their place, which is offered to the first waiting once; their name opt-in goes", async () => {
    const { groupId, ids, sessions } = await aGroup(["ann", "ben", "cat"], 1);
    const session = sessions[0]!;
    for (const who of ["ann", "ben", "cat"] as const) await yes(groupId, session, ids[who]);
    expect(countsOf(await placesOf(session))).toEqual({ yes: 2, maybe: 0, no: 0, waiting: 1 });
    await setNameOptIn(runtime.ports, { organisationId, groupId, memberId: ids.ann }, true);
    await setNameOptIn(runtime.ports, { organisationId, groupId, memberId: ids.ben }, true);
    await engine.settle();
    expect(await offerEmails(session)).toHaveLength(0);

    await leaveGroupWithRoles(runtime.ports, organisationId, groupId, ids.ann);
    await engine.settle();
    expect(await statusOf(session, ids.ann)).toBeUndefined();
    expect(await statusOf(session, ids.cat)).toBe("offered");
    expect(countsOf(await placesOf(session))).toEqual({ yes: 1, maybe: 0, no: 1, waiting: 1 });
    expect(await runtime.ports.rsvps.getRsvp(organisationId, session.id, ids.ann)).toMatchObject({
      answer: "no",
      source: "left-group",
    });
    expect((await offersOf(session)).map((e) => e.data.memberId)).toEqual([ids.cat]);
    const emails = await offerEmails(session);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.destination.to.join()).toContain("cat-");
    expect(await runtime.ports.rsvps.listNameOptIns(organisationId, groupId)).toEqual(new Set([ids.ben]));
    // Nothing is confirmed to Ann about a group she left.
    expect((await outboxOf("RsvpRecorded")).filter((e) => e.data.memberId === ids.ann)).toHaveLength(1);

    // MemberLeftGroup redelivered (EventBridge's retries, an archive replay): nothing more.
    const handle = createOfferPlace(runtime.ports);
    const left = await leftEventOf(ids.ann);
    await handle(left);
    await handle(left);
    await engine.settle();
    expect((await offersOf(session)).map((e) => e.data.memberId)).toEqual([ids.cat]);
    expect(await offerEmails(session)).toHaveLength(1);
    expect(countsOf(await placesOf(session))).toEqual({ yes: 1, maybe: 0, no: 1, waiting: 1 });
    expect(await runtime.ports.rsvps.listNameOptIns(organisationId, groupId)).toEqual(new Set([ids.ben]));
  });

  it("finishes on redelivery what a run that died half-way left, offering nothing twice", async () => {
    const { groupId, ids, sessions } = await aGroup(["dan", "eve", "fay"], 2);
    const [first, second] = sessions as [Session, Session];
    for (const session of sessions)
      for (const who of ["dan", "eve", "fay"] as const) await yes(groupId, session, ids[who]);
    await setNameOptIn(runtime.ports, { organisationId, groupId, memberId: ids.dan }, true);
    await engine.settle();
    await leaveGroupWithRoles(runtime.ports, organisationId, groupId, ids.dan);
    const left = await leftEventOf(ids.dan);

    // A run that dies after its first session's write.
    let writes = 0;
    const real = runtime.ports.rsvps;
    const dying: RsvpStore = Object.assign(Object.create(real) as RsvpStore, {
      changePlaces: (change: Parameters<RsvpStore["changePlaces"]>[0]) => {
        if (writes++ >= 1) throw new Error("the function died");
        return real.changePlaces(change);
      },
    });
    await expect(createOfferPlace({ ...runtime.ports, rsvps: dying })(left)).rejects.toThrow("died");
    expect(await statusOf(first, ids.dan)).toBeUndefined();
    expect(await statusOf(first, ids.fay)).toBe("offered");
    expect(await statusOf(second, ids.dan)).toBe("going");

    // The bus delivers MemberLeftGroup (the redelivery), then once more: the rest is done, once.
    await engine.settle();
    await createOfferPlace(runtime.ports)(left);
    await engine.settle();
    for (const session of sessions) {
      expect(await statusOf(session, ids.dan)).toBeUndefined();
      expect(await statusOf(session, ids.fay)).toBe("offered");
      expect((await offersOf(session)).map((e) => e.data.memberId)).toEqual([ids.fay]);
      expect(await offerEmails(session)).toHaveLength(1);
      expect(countsOf(await placesOf(session))).toEqual({ yes: 1, maybe: 0, no: 1, waiting: 1 });
    }
    expect(await runtime.ports.rsvps.listNameOptIns(organisationId, groupId)).toEqual(new Set());
  });
});
