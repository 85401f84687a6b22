import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPortFree } from "#infra/local/emulators/process-group.ts";
import { localDateTimeAt } from "#domain/local-time.ts";
import { readFeed } from "#test/unit/calendar-feed-reader.ts";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// A weekly series end to end, through HTTP only, against the platform as `npm start` runs it
// (DynamoDB Local, the SES emulator, the bus, the stream poller and the scheduler): made,
// previewed first; the clock moved on week by week, each week's reminders arriving; one
// occurrence moved ("this"), then the series changed from a later one on ("this and
// following"), members hearing of each change in their next reminder. The clock is moved with
// /api/local/clock/advance, which returns once everything that fell due has been processed.

interface OutboxEmail {
  to: string[];
  subject: string;
  text: string;
}
interface SeriesView {
  id: string;
  ruleInWords: string;
  nextDates: { startLocal: string; startsAt: string }[];
  splitFrom?: { seriesId: string; originalStartLocal: string };
}
interface SessionView {
  id: string;
  startLocal: string;
  startsAt: string;
  title: string;
  series?: { seriesId: string; originalStartLocal: string; overridden?: boolean };
}

const domain = `e2e-series-${Date.now()}.example.org`;
const address = (name: string) => `${name}@${domain}`;
const hour = 3_600_000;

let platform: Platform;
let api: ReturnType<typeof client>;
let local: ReturnType<typeof client>;
let base: string;

const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
/** Moves the platform's clock to `instant` (plus a margin) and waits until all is processed. */
const advanceTo = async (instant: Date, marginMinutes = 1) => {
  const minutes = (instant.getTime() - (await now()).getTime()) / 60_000 + marginMinutes;
  expect(minutes).toBeGreaterThan(0);
  expect((await local.post("/api/local/clock/advance", { minutes })).status).toBe(200);
};

/** What arrived for this test's people since the last call. */
const inbox = async () => {
  const read = async () =>
    (await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox")).body.emails.filter((e) =>
      e.to.some((t) => t.includes(domain)),
    );
  let seen = (await read()).length;
  return async () => {
    const all = await read();
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  };
};
const recipients = (emails: OutboxEmail[]) =>
  emails.map((e) => e.to.join(",").replace(/.*<|>.*/g, "")).sort();

const londonDate = (instant: Date, plusDays: number) =>
  new Date(instant.getTime() + plusDays * 86_400_000).toLocaleDateString("en-CA", {
    timeZone: "Europe/London",
  });
const weeksOn = (local: string, weeks: number) =>
  `${new Date(Date.parse(`${local.slice(0, 10)}T12:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10)}T${local.slice(11)}`;

beforeAll(async () => {
  platform = await launchPlatform();
  local = client(platform.url);
  const platformToken = (await local.post<{ token: string }>("/api/local/tokens", { role: "platform-admin" }))
    .body.token;
  const org = await local.withToken(platformToken).post<{ id: string }>("/api/v1/organisations", {
    name: "E2E Series Network",
  });
  expect(org.status).toBe(201);
  const adminToken = (
    await local.post<{ token: string }>("/api/local/tokens", {
      role: "umbrella-admin",
      organisationId: org.body.id,
    })
  ).body.token;
  api = local.withToken(adminToken);
  base = `/api/v1/organisations/${org.body.id}`;
});

afterAll(async () => {
  const code = await platform?.stop();
  expect(code).toBe(0);
  for (const port of platform.ports) await expect(assertPortFree(port)).resolves.toBeUndefined();
});

describe("a group that meets every week", () => {
  it("gets each week's reminders, and hears of an occurrence moved and of the series changed", async () => {
    const next = await inbox();
    const group = await api.post<{ id: string }>(`${base}/groups`, {
      name: "Weekly Carers",
      timeZone: "Europe/London",
    });
    expect(group.status).toBe(201);
    const groupPath = `${base}/groups/${group.body.id}`;
    for (const name of ["ann", "ben"]) {
      const member = await api.post<{ id: string }>(`${base}/members`, {
        name: `${name[0]!.toUpperCase()}${name.slice(1)} Weekly`,
        email: address(name),
        reminders: [{ channel: "email", offsetMinutes: 1440 }],
      });
      expect(member.status).toBe(201);
      expect((await api.put(`${groupPath}/members/${member.body.id}`)).status).toBe(204);
    }

    // Every week on the first start's weekday at 19:00 London time, previewed, then made.
    const first = `${londonDate(await now(), 3)}T19:00`;
    const body = {
      title: "Weekly check-in",
      startLocal: first,
      rrule: "FREQ=WEEKLY",
      venue: { name: "Hall" },
    };
    const preview = await api.post<SeriesView>(`${groupPath}/series/preview`, body);
    expect(preview.status).toBe(200);
    expect(preview.body.nextDates.map((d) => d.startLocal)).toEqual(
      [0, 1, 2, 3, 4].map((w) => weeksOn(first, w)),
    );
    const made = await api.post<SeriesView>(`${groupPath}/series`, body);
    expect(made.status).toBe(201);
    expect(made.body.ruleInWords).toMatch(/^Every \w+ at 19:00, London time$/);
    const starts = made.body.nextDates.map((d) => new Date(d.startsAt));

    // Each of three weeks: both members' reminders 24 hours before, for that week's date.
    for (const week of [0, 1, 2]) {
      await advanceTo(new Date(starts[week]!.getTime() - 24 * hour));
      const fresh = await next();
      expect(recipients(fresh), `week ${week}`).toEqual([address("ann"), address("ben")]);
      for (const email of fresh) {
        expect(email.subject).toContain("Weekly check-in");
        expect(email.text).toContain("19:00");
        expect(email.text).not.toContain("What has changed");
      }
    }

    // Week 4's occurrence moves to 18:00, more than 48 hours ahead: no notice now, a note in its reminder.
    const fourth = weeksOn(first, 4);
    const moved = await api.patch(`${groupPath}/series/${made.body.id}`, {
      scope: "this",
      occurrence: fourth,
      changes: { startLocal: fourth.replace("T19:00", "T18:00") },
    });
    expect(moved.status).toBe(200);
    // From week 5 on: an evening meeting with a new name.
    const fifth = weeksOn(first, 5);
    const split = await api.patch<SeriesView>(`${groupPath}/series/${made.body.id}`, {
      scope: "following",
      occurrence: fifth,
      changes: { startLocal: fifth.replace("T19:00", "T20:00"), title: "Evening check-in" },
    });
    expect(split.status).toBe(200);
    expect(split.body.splitFrom).toEqual({ seriesId: made.body.id, originalStartLocal: fifth });
    await advanceTo(new Date((await now()).getTime() + 5 * 60_000), 0);
    expect(await next()).toEqual([]);

    const sessions = (await api.get<{ items: SessionView[] }>(`${groupPath}/sessions?limit=100`)).body.items;
    const byOriginal = new Map(sessions.map((s) => [s.series?.originalStartLocal, s]));
    expect(byOriginal.get(fourth)).toMatchObject({
      startLocal: fourth.replace("T19:00", "T18:00"),
      series: { seriesId: made.body.id, overridden: true },
    });
    const fifthSession = byOriginal.get(fifth.replace("T19:00", "T20:00"))!;
    expect(fifthSession).toMatchObject({ title: "Evening check-in", series: { seriesId: split.body.id } });
    expect(sessions.filter((s) => s.startLocal.slice(0, 10) === fifth.slice(0, 10))).toHaveLength(1);

    // Week 3 as before; week 4 at its new time, saying what changed; week 5 the new series'.
    await advanceTo(new Date(starts[3]!.getTime() - 24 * hour));
    expect(recipients(await next())).toEqual([address("ann"), address("ben")]);
    await advanceTo(new Date(starts[4]!.getTime() - 25 * hour));
    let fresh = await next();
    expect(recipients(fresh)).toEqual([address("ann"), address("ben")]);
    for (const email of fresh) {
      expect(email.text).toContain("18:00");
      expect(email.text).toContain("What has changed: Now at 18:00 (was 19:00).");
    }
    await advanceTo(new Date(Date.parse(fifthSession.startsAt) - 24 * hour));
    fresh = await next();
    expect(recipients(fresh)).toEqual([address("ann"), address("ben")]);
    for (const email of fresh) {
      expect(email.subject).toContain("Evening check-in");
      expect(email.text).toContain("20:00");
      expect(email.text).toContain("What has changed:");
    }

    // Both calendar feeds, read with ical.js: the group's (once published) and Ann's private one
    // hold the first series up to the split, its moved occurrence, and the series after it.
    expect((await api.put(`${groupPath}/calendar-feed`, { published: true })).status).toBe(200);
    const members = (await api.get<{ items: { id: string; email: string }[] }>(`${base}/members`)).body.items;
    const ann = members.find((m) => m.email === address("ann"))!;
    const issued = await api.post<{ url: string }>(`${groupPath}/members/${ann.id}/calendar-feed`);
    expect(issued.status).toBe(201);
    const memberFeed = new URL(issued.body.url).pathname;
    const groupFeed = `${base.replace("/api/v1/", "/api/v1/feeds/")}/groups/${group.body.id}.ics`;
    for (const path of [groupFeed, memberFeed]) {
      const response = await fetch(platform.url + path);
      const text = await response.text();
      expect(response.status, path).toBe(200);
      for (const personal of ["Ann Weekly", "Ben Weekly", address("ann"), address("ben")])
        expect(text, path).not.toContain(personal);
      const feed = readFeed(text);
      const entries = (seriesId: string) =>
        feed.vevents.filter((e) => e.getFirstPropertyValue("uid") === `${seriesId}@convene`);
      const london = (d: Date) => localDateTimeAt(d, "Europe/London");
      const original = entries(made.body.id).find((e) => !e.hasProperty("recurrence-id"))!;
      const firstDates = feed.expand(original, starts[0]!, 20).map(london);
      expect(firstDates.slice(0, 5), path).toEqual([0, 1, 2, 3, 4].map((w) => weeksOn(first, w)));
      expect(firstDates, path).not.toContain(fifth);
      const override = entries(made.body.id).find((e) => e.hasProperty("recurrence-id"))!;
      expect(london(feed.instantOf(override, "recurrence-id")), path).toBe(fourth);
      expect(london(feed.instantOf(override, "dtstart")), path).toBe(fourth.replace("T19:00", "T18:00"));
      const following = entries(split.body.id).find((e) => !e.hasProperty("recurrence-id"))!;
      expect(feed.expand(following, starts[0]!, 1).map(london), path).toEqual([
        fifth.replace("T19:00", "T20:00"),
      ]);
    }
    expect((await api.delete(`${groupPath}/members/${ann.id}/calendar-feed`)).status).toBe(204);
    expect((await fetch(platform.url + memberFeed)).status).toBe(404);
  });
});
