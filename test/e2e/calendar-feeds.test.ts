import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPortFree } from "#infra/local/emulators/process-group.ts";
import { readFeed } from "#test/unit/calendar-feed-reader.ts";
import { client, launchPlatform, type Platform } from "./running-platform.ts";

// Both calendar feeds end to end, through HTTP only, against the platform as `npm start` runs
// it: a weekly series made through the API, its window filled by the bus, one occurrence
// moved; the group's public feed and a member's private feed read with ical.js; the member's
// emailed invite for an occurrence shares its UID with the feed's entry; a revoked URL fails.

interface OutboxEmail {
  to: string[];
  attachments: { contentType: string; content: string }[];
}
interface SeriesView {
  id: string;
  nextDates: { startLocal: string; startsAt: string }[];
}

const domain = `feeds-${Date.now()}.example.org`;
const person = {
  name: "Fern Feedwell",
  email: `fern@${domain}`,
  reminders: [{ channel: "email", offsetMinutes: 2880 }],
};

let platform: Platform;
let api: ReturnType<typeof client>;
let local: ReturnType<typeof client>;
let groupPath: string;
let feedPath: string;
let memberId: string;
let series: SeriesView;

const now = async () => new Date((await local.get<{ now: string }>("/api/local/clock")).body.now);
const londonDate = (instant: Date, plusDays: number) =>
  new Date(instant.getTime() + plusDays * 86_400_000).toLocaleDateString("en-CA", {
    timeZone: "Europe/London",
  });
const occurrenceId = (startLocal: string) => `${series.id}_${startLocal.replace(/[-:]/g, "")}`;

beforeAll(async () => {
  platform = await launchPlatform();
  local = client(platform.url);
  const token = async (claims: object) =>
    (await local.post<{ token: string }>("/api/local/tokens", claims)).body.token;
  const org = await local
    .withToken(await token({ role: "platform-admin" }))
    .post<{ id: string }>("/api/v1/organisations", { name: "Feeds E2E Network" });
  expect(org.status).toBe(201);
  api = local.withToken(await token({ role: "umbrella-admin", organisationId: org.body.id }));
  const group = await api.post<{ id: string }>(`/api/v1/organisations/${org.body.id}/groups`, {
    name: "Feedwell Hearing Voices",
    timeZone: "Europe/London",
  });
  expect(group.status).toBe(201);
  groupPath = `/api/v1/organisations/${org.body.id}/groups/${group.body.id}`;
  feedPath = `/api/v1/feeds/organisations/${org.body.id}/groups/${group.body.id}.ics`;
  const member = await api.post<{ id: string }>(`/api/v1/organisations/${org.body.id}/members`, person);
  expect(member.status).toBe(201);
  memberId = member.body.id;
  expect((await api.put(`${groupPath}/members/${memberId}`)).status).toBe(204);
});

afterAll(async () => {
  const code = await platform?.stop();
  expect(code).toBe(0);
  for (const port of platform.ports) await expect(assertPortFree(port)).resolves.toBeUndefined();
});

describe("calendar feeds of a weekly series", () => {
  it("publishes the group's feed: one recurring VEVENT with the series' dates, a moved occurrence beside it, no names", async () => {
    const first = londonDate(await now(), 4);
    const made = await api.post<SeriesView>(`${groupPath}/series`, {
      title: "Tuesday voices",
      startLocal: `${first}T19:00`,
      rrule: "FREQ=WEEKLY",
      facilitatorMemberId: memberId,
    });
    expect(made.status).toBe(201);
    series = made.body;
    // Let the bus fill the window: a minute's advance returns once all is quiet.
    expect((await local.post("/api/local/clock/advance", { minutes: 1 })).status).toBe(200);
    const second = series.nextDates[1]!;
    const moved = await api.post<{ startsAt: string }>(
      `${groupPath}/sessions/${occurrenceId(second.startLocal)}/reschedule`,
      { startLocal: `${second.startLocal.slice(0, 10)}T20:30` },
    );
    expect(moved.status).toBe(200);

    expect((await fetch(platform.url + feedPath)).status).toBe(404);
    expect((await api.put(`${groupPath}/calendar-feed`, { published: true })).status).toBe(200);
    const response = await fetch(platform.url + feedPath);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
    const etag = response.headers.get("etag")!;
    expect((await fetch(platform.url + feedPath, { headers: { "if-none-match": etag } })).status).toBe(304);

    const read = readFeed(text);
    const ours = read.vevents.filter((e) => e.getFirstPropertyValue("uid") === `${series.id}@convene`);
    const master = ours.find((e) => !e.hasProperty("recurrence-id"))!;
    const from = new Date(series.nextDates[0]!.startsAt);
    expect(read.expand(master, from, 5).map((d) => d.toISOString())).toEqual(
      series.nextDates.map((n) => n.startsAt),
    );
    const override = ours.find((e) => e.hasProperty("recurrence-id"))!;
    expect(read.instantOf(override, "recurrence-id").toISOString()).toBe(second.startsAt);
    expect(read.instantOf(override, "dtstart").toISOString()).toBe(moved.body.startsAt);
    for (const personal of [person.name, person.email, memberId]) expect(text).not.toContain(personal);
  });

  it("gives the member a private feed whose entries share their UID with the emailed invite, until it is revoked", async () => {
    const issued = await api.post<{ url: string }>(`${groupPath}/members/${memberId}/calendar-feed`);
    expect(issued.status).toBe(201);
    const memberFeed = new URL(issued.body.url).pathname;
    const response = await fetch(platform.url + memberFeed);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const read = readFeed(text);
    const master = read.vevents.find(
      (e) => e.getFirstPropertyValue("uid") === `${series.id}@convene` && !e.hasProperty("recurrence-id"),
    )!;
    expect(master).toBeDefined();

    // Two days before the first session the member is reminded by email, with an invite.
    const firstStart = new Date(series.nextDates[0]!.startsAt);
    const minutes = (firstStart.getTime() - 2 * 86_400_000 - (await now()).getTime()) / 60_000 + 5;
    expect((await local.post("/api/local/clock/advance", { minutes })).status).toBe(200);
    const { body } = await local.get<{ emails: OutboxEmail[] }>("/api/local/outbox");
    const invites = body.emails
      .filter((e) => e.to.some((t) => t.includes(domain)))
      .flatMap((e) => e.attachments.filter((a) => a.contentType === "text/calendar"));
    expect(invites.length).toBeGreaterThan(0);
    const invite = readFeed(invites.at(-1)!.content);
    const emailed = invite.vevents[0]!;
    expect(emailed.getFirstPropertyValue("uid")).toBe(master.getFirstPropertyValue("uid"));
    expect(invite.instantOf(emailed, "recurrence-id")).toEqual(firstStart);

    expect((await api.delete(`${groupPath}/members/${memberId}/calendar-feed`)).status).toBe(204);
    expect((await fetch(platform.url + memberFeed)).status).toBe(404);
  });
});
