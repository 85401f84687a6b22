// Bad input at the API edge, in process over DynamoDB Local: every field a client sends is
// checked and answered with RFC 9457 problem+json naming the field, a rejected request leaves
// every list as it was, and concurrent changes to one session keep its version consistent.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildDirectory,
  expectFieldProblem,
  expectJson,
  expectProblem,
  heldSessionIn,
  localStartInDays,
  startApiHarness,
  type ApiHarness,
  type CallOptions,
  type Directory,
  type GroupView,
  type MemberView,
  type SessionView,
} from "./api-harness.ts";

// Personal data the tests send; no answer and no log line may repeat it.
const memberName = "Ffion Validation-Probe";
const memberEmail = "ffion.validation-probe@example.org";
const memberPhone = "+447700900123";

let h: ApiHarness;
let d: Directory;
/** A member of the organisation who has not joined the group. */
let outsiderId: string;
/** Sessions whose state each rejection must leave alone (cancelled ones leave the upcoming list). */
const knownSessions = new Set<string>();

const org = () => `/api/v1/organisations/${d.organisationId}`;
const grp = () => `${org()}/groups/${d.groupId}`;
const send = (method: string, path: string, options: Omit<CallOptions, "token"> = {}) =>
  h.call(method, path, { ...options, token: d.adminToken });

/** Everything a rejected request could have changed, as the API shows it. */
const state = async () => {
  const read = async (path: string) => {
    const response = await send("GET", path);
    expect(response.status).toBe(200);
    return response.json();
  };
  return {
    groups: await read(`${org()}/groups`),
    members: await read(`${org()}/members`),
    groupMembers: await read(`${grp()}/members`),
    upcoming: await read(`${grp()}/sessions?limit=100`),
    past: await read(`${grp()}/sessions?when=past&limit=100`),
    sessions: await Promise.all([...knownSessions].sort().map((id) => read(`${grp()}/sessions/${id}`))),
  };
};

/** Sends a request that must fail validation on `field`, and proves it changed nothing. */
const expectRejected = async (
  method: string,
  path: string,
  options: Omit<CallOptions, "token">,
  field: string,
) => {
  const before = await state();
  const problem = await expectFieldProblem(await send(method, path, options), field);
  expect(await state()).toEqual(before);
  return problem;
};

const schedule = async (body: Record<string, unknown> = {}): Promise<SessionView> => {
  const session = await expectJson<SessionView>(
    await send("POST", `${grp()}/sessions`, {
      json: { title: "Weekly circle", startLocal: localStartInDays(10), ...body },
    }),
    201,
  );
  knownSessions.add(session.id);
  return session;
};

const readSession = async (id: string) =>
  expectJson<SessionView>(await send("GET", `${grp()}/sessions/${id}`), 200);

beforeAll(async () => {
  h = await startApiHarness();
  d = await buildDirectory(h, {
    organisation: "Northfield Peer Support",
    group: "Riverside Carers' Circle",
    member: memberName,
    email: memberEmail,
  });
  const outsider = await expectJson<MemberView>(
    await send("POST", `${org()}/members`, { json: { name: "Olu Outsider", email: "olu@example.org" } }),
    201,
  );
  outsiderId = outsider.id;
});

afterAll(async () => {
  await h?.close();
});

describe("a group", () => {
  const valid = { name: "Hilltop Recovery Group", timeZone: "Europe/London" };

  it.each([
    ["a made-up zone", "Mars/Olympus"],
    ["an offset, which has no daylight-saving rules", "UTC+1"],
    ["an abbreviation (ICU reads BST as Asia/Dhaka)", "BST"],
    ["a fixed offset", "+01:00"],
    ["the wrong case", "europe/london"],
    ["an empty string", ""],
  ])("rejects %s as its time zone", async (_why, timeZone) => {
    const problem = await expectRejected(
      "POST",
      `${org()}/groups`,
      { json: { ...valid, timeZone } },
      "timeZone",
    );
    expect(problem.type).toBe("https://convene.example/problems/validation");
    expect(problem.errors).toHaveLength(1);
  });

  it("accepts an IANA zone and UTC", async () => {
    for (const timeZone of ["America/Argentina/Buenos_Aires", "UTC"]) {
      const group = await expectJson<GroupView>(
        await send("POST", `${org()}/groups`, { json: { ...valid, timeZone } }),
        201,
      );
      expect(group.timeZone).toBe(timeZone);
    }
  });

  it("rejects a blank name, an unknown leadership model and wrong types, field by field", async () => {
    await expectRejected("POST", `${org()}/groups`, { json: { ...valid, name: "   " } }, "name");
    await expectRejected(
      "POST",
      `${org()}/groups`,
      { json: { ...valid, leadershipModel: "dictatorship" } },
      "leadershipModel",
    );
    const problem = await expectRejected(
      "POST",
      `${org()}/groups`,
      { json: { name: 42, timeZone: ["UTC"] } },
      "name",
    );
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["name", "timeZone"]);
  });

  it("rejects an unknown field and names it (the schemas are strict)", async () => {
    const problem = await expectRejected(
      "POST",
      `${org()}/groups`,
      { json: { ...valid, organisationId: "someone-else", colour: "green" } },
      "organisationId",
    );
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["colour", "organisationId"]);
  });

  it("rejects a body that is not JSON, not an object, or missing", async () => {
    const malformed = await expectRejected(
      "POST",
      `${org()}/groups`,
      { body: '{"name": "Hilltop", ', headers: { "content-type": "application/json" } },
      "(body)",
    );
    expect(malformed.type).toBe("https://convene.example/problems/validation");
    await expectRejected("POST", `${org()}/groups`, { json: [valid] }, "(body)");
    await expectRejected("POST", `${org()}/groups`, { json: null }, "(body)");
    const missing = await expectRejected("POST", `${org()}/groups`, {}, "name");
    expect(missing.errors?.map((e) => e.field).sort()).toEqual(["name", "timeZone"]);
  });

  it("answers 415 problem+json to a body that is not declared as JSON, and changes nothing", async () => {
    const before = await state();
    await expectProblem(
      await send("POST", `${org()}/groups`, {
        body: JSON.stringify(valid),
        headers: { "content-type": "text/plain" },
      }),
      415,
    );
    expect(await state()).toEqual(before);
  });

  it("rejects a path id that is not an id", async () => {
    await expectFieldProblem(await send("GET", `${org()}/groups/not%20an%20id`), "groupId");
    await expectFieldProblem(await send("GET", `/api/v1/organisations/${"x".repeat(65)}`), "organisationId");
  });
});

describe("a member", () => {
  const valid = { name: "Priya Probe", email: "priya.probe@example.org" };
  const members = () => `${org()}/members`;

  it.each(["not-an-email", "priya@", "@example.org", "priya probe@example.org", "priya@@example.org"])(
    "rejects %j as an email address",
    async (email) => {
      await expectRejected("POST", members(), { json: { ...valid, email } }, "email");
    },
  );

  it.each(["07700 900123", "07700900123", "447700900123", "+44 7700 900123", "+0447700900123", "+44"])(
    "rejects %j as a phone number (E.164 only)",
    async (phone) => {
      await expectRejected("POST", members(), { json: { ...valid, phone } }, "phone");
    },
  );

  it("rejects an SMS reminder without a phone number", async () => {
    await expectRejected(
      "POST",
      members(),
      { json: { ...valid, reminders: [{ channel: "sms", offsetMinutes: 120 }] } },
      "phone",
    );
  });

  it.each([0, 4, 43_201, 50_000, -120, 90.5])(
    "rejects a reminder %d minutes before",
    async (offsetMinutes) => {
      await expectRejected(
        "POST",
        members(),
        {
          json: {
            ...valid,
            reminders: [
              { channel: "email", offsetMinutes: 2880 },
              { channel: "email", offsetMinutes },
            ],
          },
        },
        "reminders.1.offsetMinutes",
      );
    },
  );

  it("rejects an unknown channel, a minutes string, too many reminders and bad quiet hours", async () => {
    await expectRejected(
      "POST",
      members(),
      { json: { ...valid, reminders: [{ channel: "pigeon", offsetMinutes: 60 }] } },
      "reminders.0.channel",
    );
    await expectRejected(
      "POST",
      members(),
      { json: { ...valid, reminders: [{ channel: "email", offsetMinutes: "60" }] } },
      "reminders.0.offsetMinutes",
    );
    await expectRejected(
      "POST",
      members(),
      {
        json: {
          ...valid,
          reminders: Array.from({ length: 7 }, (_, i) => ({ channel: "email", offsetMinutes: 60 + i })),
        },
      },
      "reminders",
    );
    await expectRejected(
      "POST",
      members(),
      { json: { ...valid, quietHours: { start: "24:00", end: "08:00" } } },
      "quietHours.start",
    );
    await expectRejected(
      "POST",
      members(),
      { json: { ...valid, quietHours: { start: "21:00" } } },
      "quietHours.end",
    );
  });

  it("rejects unknown fields at every depth and names them", async () => {
    await expectRejected("POST", members(), { json: { ...valid, unsubscribed: [] } }, "unsubscribed");
    await expectRejected(
      "POST",
      members(),
      { json: { ...valid, reminders: [{ channel: "email", offsetMinutes: 60, urgent: true }] } },
      "reminders.0.urgent",
    );
  });

  it("accepts an E.164 phone with an SMS reminder", async () => {
    const member = await expectJson<MemberView>(
      await send("POST", members(), {
        json: { ...valid, phone: memberPhone, reminders: [{ channel: "sms", offsetMinutes: 120 }] },
      }),
      201,
    );
    expect(member).toMatchObject({ phone: memberPhone, reminders: [{ channel: "sms", offsetMinutes: 120 }] });
  });

  it("rejects an edit that would leave an SMS reminder without a phone, and keeps the member as it was", async () => {
    const path = `${members()}/${d.memberId}`;
    const before = await expectJson<MemberView>(await send("GET", path), 200);
    const problem = await expectRejected(
      "PATCH",
      path,
      { json: { reminders: [{ channel: "sms", offsetMinutes: 120 }] } },
      "phone",
    );
    expect(problem.type).toBe("https://convene.example/problems/invalid");
    await expectRejected("PATCH", path, { json: { phone: "07700 900123" } }, "phone");
    await expectRejected("PATCH", path, { json: { email: "nobody" } }, "email");
    await expectRejected("PATCH", path, { json: { unsubscribed: [] } }, "unsubscribed");
    await expectRejected("PATCH", path, { json: { name: "" } }, "name");
    expect(await expectJson<MemberView>(await send("GET", path), 200)).toEqual(before);
  });

  it("answers a problem that repeats none of the personal data sent", async () => {
    const problem = await expectRejected(
      "POST",
      members(),
      { json: { name: memberName, email: memberEmail, phone: "07700 900123", extra: memberEmail } },
      "phone",
    );
    const text = JSON.stringify(problem);
    for (const secret of [memberName, memberEmail, "07700 900123"]) expect(text).not.toContain(secret);
  });
});

describe("a session", () => {
  const sessions = () => `${grp()}/sessions`;
  const valid = () => ({ title: "Weekly circle", startLocal: localStartInDays(14) });

  it("rejects a start in the past, read in the group's zone", async () => {
    const problem = await expectRejected(
      "POST",
      sessions(),
      { json: { ...valid(), startLocal: localStartInDays(-1) } },
      "startLocal",
    );
    expect(problem.type).toBe("https://convene.example/problems/invalid");
  });

  it.each([
    ["an impossible date", "2026-02-30T10:00"],
    ["a 13th month", "2030-13-01T10:00"],
    ["25 o'clock", "2030-06-01T25:00"],
    ["seconds", "2030-06-01T19:00:00"],
    ["a space for the T", "2030-06-01 19:00"],
    ["an instant with a zone", "2030-06-01T19:00Z"],
    ["a date alone", "2030-06-01"],
  ])("rejects %s as a local start", async (_why, startLocal) => {
    await expectRejected("POST", sessions(), { json: { ...valid(), startLocal } }, "startLocal");
  });

  it("rejects a facilitator or duty holder who is not a member of the group", async () => {
    const facilitator = await expectRejected(
      "POST",
      sessions(),
      { json: { ...valid(), facilitatorMemberId: outsiderId } },
      "facilitatorMemberId",
    );
    expect(facilitator.type).toBe("https://convene.example/problems/invalid");
    await expectRejected(
      "POST",
      sessions(),
      { json: { ...valid(), duties: [{ kind: "refreshments", holderMemberId: outsiderId }] } },
      "duties.0.holderMemberId",
    );
    await expectRejected(
      "POST",
      sessions(),
      { json: { ...valid(), facilitatorMemberId: "no-such-member" } },
      "facilitatorMemberId",
    );
  });

  it("rejects wrong types, out-of-range numbers, unknown duties, odd links and unknown fields", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ durationMinutes: "90" }, "durationMinutes"],
      [{ durationMinutes: 10 }, "durationMinutes"],
      [{ durationMinutes: 721 }, "durationMinutes"],
      [{ title: "" }, "title"],
      [{ title: "x".repeat(121) }, "title"],
      [{ duties: [{ kind: "cooking" }] }, "duties.0.kind"],
      [{ duties: "refreshments" }, "duties"],
      [{ onlineUrl: "javascript:alert(1)" }, "onlineUrl"],
      [{ onlineUrl: "not a url" }, "onlineUrl"],
      [{ venue: { address: "1 Church Street" } }, "venue.name"],
      [{ venue: { name: "Hall", capacity: 30 } }, "venue.capacity"],
      [{ status: "cancelled" }, "status"],
      [{ version: 7 }, "version"],
    ];
    for (const [change, field] of cases)
      await expectRejected("POST", sessions(), { json: { ...valid(), ...change } }, field);
  });

  it("rejects a bad limit on the upcoming list", async () => {
    for (const limit of ["0", "101", "abc", "2.5"])
      await expectFieldProblem(await send("GET", `${sessions()}?limit=${limit}`), "limit");
  });

  it("accepts a session whose facilitator and duty holder belong to the group", async () => {
    const session = await schedule({
      facilitatorMemberId: d.memberId,
      duties: [{ kind: "refreshments", holderMemberId: d.memberId }],
    });
    expect(session).toMatchObject({ version: 1, status: "scheduled" });
  });
});

describe("rescheduling and cancelling", () => {
  const at = (id: string, action: string) => `${grp()}/sessions/${id}/${action}`;

  it("rejects a move into the past or to an impossible date, and leaves the session alone", async () => {
    const session = await schedule();
    await expectRejected(
      "POST",
      at(session.id, "reschedule"),
      { json: { startLocal: localStartInDays(-2) } },
      "startLocal",
    );
    await expectRejected(
      "POST",
      at(session.id, "reschedule"),
      { json: { startLocal: "2026-02-30T10:00" } },
      "startLocal",
    );
    await expectRejected(
      "POST",
      at(session.id, "reschedule"),
      { json: { startLocal: localStartInDays(20), durationMinutes: 5 } },
      "durationMinutes",
    );
    await expectRejected(
      "POST",
      at(session.id, "reschedule"),
      { json: { startLocal: localStartInDays(20), version: 1 } },
      "version",
    );
    await expectRejected("POST", at(session.id, "reschedule"), {}, "startLocal");
    expect(await readSession(session.id)).toEqual(session);
  });

  it("answers 404 problem for a session that does not exist", async () => {
    await expectProblem(
      await send("POST", at("no-such-session", "reschedule"), { json: { startLocal: localStartInDays(20) } }),
      404,
    );
    await expectProblem(await send("POST", at("no-such-session", "cancel")), 404);
  });

  it("cancels with or without a body, and refuses to move or cancel a cancelled session", async () => {
    const first = await schedule();
    const cancelled = await expectJson<SessionView>(await send("POST", at(first.id, "cancel")), 200);
    expect(cancelled).toMatchObject({ status: "cancelled", version: 2 });

    // Many clients label every request JSON; an empty body is still no body.
    for (const body of [undefined, ""]) {
      const labelled = await schedule();
      const empty = await send("POST", at(labelled.id, "cancel"), {
        ...(body === undefined ? {} : { body }),
        headers: { "content-type": "application/json" },
      });
      expect(await expectJson<SessionView>(empty, 200)).toMatchObject({ status: "cancelled", version: 2 });
    }
    await expectRejected(
      "POST",
      at((await schedule()).id, "cancel"),
      { body: " {", headers: { "content-type": "application/json" } },
      "(body)",
    );

    const second = await schedule();
    await expectRejected("POST", at(second.id, "cancel"), { json: { reason: "x".repeat(501) } }, "reason");
    await expectRejected("POST", at(second.id, "cancel"), { json: { reason: 5 } }, "reason");
    await expectRejected("POST", at(second.id, "cancel"), { json: { why: "snow" } }, "why");
    expect(
      await expectJson<SessionView>(
        await send("POST", at(second.id, "cancel"), { json: { reason: "Snow" } }),
        200,
      ),
    ).toMatchObject({ status: "cancelled", version: 2 });

    for (const id of [first.id, second.id]) {
      const moved = await expectRejected(
        "POST",
        at(id, "reschedule"),
        { json: { startLocal: localStartInDays(30) } },
        "sessionId",
      );
      expect(moved.type).toBe("https://convene.example/problems/invalid");
      await expectRejected("POST", at(id, "cancel"), {}, "sessionId");
      expect(await readSession(id)).toMatchObject({ status: "cancelled", version: 2 });
    }
  });

  it("keeps the version consistent when reschedules race", async () => {
    const session = await schedule();
    const starts = [21, 22, 23, 24, 25].map(localStartInDays);
    const responses = await Promise.all(
      starts.map((startLocal) => send("POST", at(session.id, "reschedule"), { json: { startLocal } })),
    );
    const won: SessionView[] = [];
    for (const response of responses) {
      if (response.status === 409) await expectProblem(response, 409);
      else won.push(await expectJson<SessionView>(response, 200));
    }
    expect(won.length).toBeGreaterThanOrEqual(1);
    // Each winner moved the session one version on from the one it read: no two share a version.
    expect(won.map((s) => s.version).sort((a, b) => a - b)).toEqual(won.map((_, i) => i + 2));
    const last = won.reduce((a, b) => (a.version > b.version ? a : b));
    const stored = await readSession(session.id);
    expect(stored).toMatchObject({
      version: 1 + won.length,
      startLocal: last.startLocal,
      status: "scheduled",
    });
    expect(starts).toContain(stored.startLocal);
  });

  it("keeps the version consistent when a reschedule races a cancellation", async () => {
    const session = await schedule();
    const [moved, cancelled] = await Promise.all([
      send("POST", at(session.id, "reschedule"), { json: { startLocal: localStartInDays(26) } }),
      send("POST", at(session.id, "cancel")),
    ]);
    const stored = await readSession(session.id);
    const statuses = [moved.status, cancelled.status];
    expect(statuses).toContain(200);
    if (statuses.every((s) => s === 200)) {
      // Run one after the other: the cancellation can only have come second (a cancelled
      // session cannot be moved), so the session is cancelled at version 3.
      expect(stored).toMatchObject({ status: "cancelled", version: 3 });
    } else {
      const loser = moved.status === 200 ? cancelled : moved;
      expect([400, 409]).toContain(loser.status);
      await expectProblem(loser, loser.status);
      expect(stored.version).toBe(2);
      expect(stored.status).toBe(moved.status === 200 ? "scheduled" : "cancelled");
    }
  });
});

describe("attendance", () => {
  const attendance = (id: string) => `${grp()}/sessions/${id}/attendance`;
  const held = async () => {
    const id = await heldSessionIn(h, d.organisationId, d.groupId);
    knownSessions.add(id);
    return id;
  };

  it("rejects a headcount that is not a whole number from 0 to 1000, and unknown fields", async () => {
    const id = await held();
    for (const headcount of [-1, 1.5, 1001, "8", null])
      await expectRejected("PUT", attendance(id), { json: { headcount } }, "headcount");
    await expectRejected("PUT", attendance(id), { json: {} }, "headcount");
    await expectRejected("PUT", attendance(id), { json: { headcount: 8, names: ["Ffion"] } }, "names");
    expect((await readSession(id)).attendance).toBeUndefined();
  });

  it("refuses a session still to come or cancelled, and answers 404 for one that does not exist", async () => {
    const coming = await schedule();
    const early = await expectRejected("PUT", attendance(coming.id), { json: { headcount: 6 } }, "sessionId");
    expect(early.errors?.[0]?.message).toMatch(/has not started yet/);
    const called = await held();
    await send("POST", `${grp()}/sessions/${called}/cancel`);
    await expectRejected("PUT", attendance(called), { json: { headcount: 6 } }, "sessionId");
    await expectProblem(
      await send("PUT", attendance("0f0f0f0f-0000-4000-8000-000000000000"), { json: { headcount: 6 } }),
      404,
    );
  });

  it("records a count, corrects it, changes nothing for the same count, and then keeps the held session where it was", async () => {
    const id = await held();
    const recorded = await expectJson<SessionView>(
      await send("PUT", attendance(id), { json: { headcount: 8 } }),
      200,
    );
    expect(recorded).toMatchObject({ version: 2, attendance: { headcount: 8 } });
    const corrected = await expectJson<SessionView>(
      await send("PUT", attendance(id), { json: { headcount: 9 } }),
      200,
    );
    expect(corrected).toMatchObject({ version: 3, attendance: { headcount: 9 } });
    const again = await expectJson<SessionView>(
      await send("PUT", attendance(id), { json: { headcount: 9 } }),
      200,
    );
    expect(again).toEqual(corrected);
    expect(await readSession(id)).toEqual(corrected);

    // A held session is in the past list, latest first; it is not upcoming any more.
    const past = await expectJson<{ items: SessionView[] }>(
      await send("GET", `${grp()}/sessions?when=past`),
      200,
    );
    expect(past.items.map((s) => s.id)).toContain(id);
    const starts = past.items.map((s) => s.startsAt);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(past.items.every((s) => s.status === "scheduled" && Date.parse(s.startsAt) <= Date.now())).toBe(
      true,
    );

    const moved = await expectRejected(
      "POST",
      `${grp()}/sessions/${id}/reschedule`,
      { json: { startLocal: localStartInDays(3) } },
      "sessionId",
    );
    expect(moved.errors?.[0]?.message).toMatch(/attendance is recorded/);
    await expectRejected("POST", `${grp()}/sessions/${id}/cancel`, {}, "sessionId");
  });

  it("keeps one count when two coordinators record at once", async () => {
    const id = await held();
    const responses = await Promise.all(
      [5, 6, 7].map((headcount) => send("PUT", attendance(id), { json: { headcount } })),
    );
    const won: SessionView[] = [];
    for (const response of responses) {
      if (response.status === 409) await expectProblem(response, 409);
      else won.push(await expectJson<SessionView>(response, 200));
    }
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.map((s) => s.version).sort((a, b) => a - b)).toEqual(won.map((_, i) => i + 2));
    const stored = await readSession(id);
    expect(stored.version).toBe(1 + won.length);
    const last = won.reduce((a, b) => (a.version > b.version ? a : b));
    expect(stored.attendance?.headcount).toBe(last.attendance?.headcount);
  });

  it("rejects an unknown list", async () => {
    await expectRejected("GET", `${grp()}/sessions?when=yesterday`, {}, "when");
  });
});

describe("privacy", () => {
  it("wrote no name, email address or phone number to the log", () => {
    const logged = JSON.stringify(h.log.lines);
    for (const secret of [memberName, memberEmail, memberPhone, "priya.probe@example.org", "07700 900123"])
      expect(logged).not.toContain(secret);
  });
});
