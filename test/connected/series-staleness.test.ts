import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createReceiveReply, type InboundMail } from "#functions/receive-reply/handler.ts";
import { readSesStore } from "#infra/local/emulators/ses-local.ts";
import { LocalEngine } from "#infra/local/engine.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import type { Series } from "#domain/series.ts";
import { seriesReplyAddress, seriesTokenFromRecipient } from "#domain/series-reply-address.ts";
import { confirmationDueAt } from "#domain/series-staleness.ts";
import { createMember, joinGroup } from "#use-cases/directory/manage-directory.ts";
import { readOrganisationOverview } from "#use-cases/overview/read-organisation-overview.ts";
import { askSeriesCoordinators } from "#use-cases/series/ask-series-coordinators.ts";
import { askStaleSeries } from "#use-cases/series/ask-stale-series.ts";
import { createSeries } from "#use-cases/series/create-series.ts";
import { startApiHarness, type ApiHarness } from "./api-harness.ts";

// "Still meeting?" against DynamoDB Local and the SES emulator: the daily ask (once per
// staleness period, however often it runs or its event is delivered), the answers by reply
// (real mail clients' replies from ../shared/corpus, under the ballots' trust rules) and by
// link (GET changes nothing, POST acts), each answer confirmed once by email.

const dayMs = 86_400_000;
// The staleness period here is one month (the default of six is the unit tests' and the
// platform's): each test moves the clock 32 days, and the daily jobs then fill every active
// series' window 5 weeks further, not 30 weeks as seven months would (most of this file's time).
const staleAfterMonths = 1;
const domain = `still-${randomUUID().slice(0, 8)}.example.org`;
const corpus = new URL("../../../shared/corpus/talon/standard_replies/", import.meta.url);
let h: ApiHarness;
let engine: LocalEngine;
let receive: (mail: InboundMail) => Promise<string>;
const o = randomUUID();
const g = randomUUID();
let cora: Member;
let mo: Member;

beforeAll(async () => {
  h = await startApiHarness();
  h.runtime.ports.settings.seriesStaleAfterMonths = staleAfterMonths;
  engine = new LocalEngine(h.runtime);
  receive = createReceiveReply(h.runtime.ports);
  const { store, clock } = h.runtime.ports;
  const at = clock.now().toISOString();
  await store.createOrganisation({ id: o, name: "Still Network", createdAt: at });
  cora = await createMember(h.runtime.ports, o, {
    name: "Cora Coord",
    email: `cora@${domain}`,
    reminders: [],
  });
  mo = await createMember(h.runtime.ports, o, { name: "Mo Member", email: `mo@${domain}`, reminders: [] });
  await store.createGroup({
    organisationId: o,
    id: g,
    name: "Riverside Circle",
    timeZone: "Europe/London",
    leadershipModel: "collective",
    coordinatorMemberIds: [cora.id],
    createdAt: at,
  });
  for (const member of [cora, mo]) await joinGroup(h.runtime.ports, o, g, member.id);
  await engine.settle();
});

afterAll(async () => {
  await engine?.stop();
  await h?.close();
});

const ports = () => h.runtime.ports;
const getSeries = async (s: Series) => (await ports().series.getSeries(o, g, s.id))!;

/** A weekly series made now, then left unconfirmed for longer than the staleness period. */
const staleSeries = async (title: string) => {
  const start = new Date(ports().clock.now().getTime() + 2 * dayMs).toISOString().slice(0, 10);
  const series = await createSeries(ports(), o, g, {
    title,
    startLocal: `${start}T19:00`,
    durationMinutes: 90,
    duties: [],
    rrule: "FREQ=WEEKLY",
    rdates: [],
    exdates: [],
  });
  await engine.settle();
  h.runtime.clock.advance(32 * dayMs);
  return series;
};

const mailsAbout = async (who: string, words: string, saying = "") =>
  (await readSesStore(inject("sesEndpoint"))).filter(
    (e) =>
      e.destination.to.join(",").includes(`${who}@${domain}`) &&
      e.subject.includes(words) &&
      (e.body.text ?? "").includes(saying),
  );

/** An instant the platform's clock gave between `since` and now. */
const expectBetween = (iso: string | undefined, since: Date) => {
  expect(Date.parse(iso ?? "")).toBeGreaterThanOrEqual(since.getTime());
  expect(Date.parse(iso ?? "")).toBeLessThanOrEqual(ports().clock.now().getTime());
};

/** What the organisation overview shows of the group's series needing confirmation. */
const needingConfirmation = async () => {
  const overview = await readOrganisationOverview(ports(), o, ports().clock.now());
  const group = overview.groups.find((x) => x.groupId === g)!;
  expect(group.attention.reasons.some((r) => r.includes("confirm the group still meets"))).toBe(
    group.seriesNeedingConfirmation.length > 0,
  );
  return group.seriesNeedingConfirmation;
};

/** The ask's reply token, from the Reply-To of the email Cora received. */
const askOf = async (title: string) => {
  const mine = await mailsAbout("cora", "still meeting", title);
  expect(mine).toHaveLength(1);
  const token = seriesTokenFromRecipient(mine[0]!.replyTo[0]!, "reply.convene.test");
  expect(token).toBeDefined();
  return { email: mine[0]!, token: token! };
};

/** A stale series, asked about by the daily run: its email and reply token. */
const askedAbout = async (title: string) => {
  const series = await staleSeries(title);
  await askStaleSeries(ports());
  await engine.settle();
  return { series, ...(await askOf(title)) };
};

/**
 * A real mail client's reply (talon's corpus: the person typed "Hello") with `typed` in its
 * place, from `from`, under its own Message-ID.
 */
const corpusReply = (file: string, from: string, typed: string) => {
  const raw = readFileSync(new URL(file, corpus), "latin1")
    .replace(/^Hello(?=\r?$)/m, typed)
    .replace(/^From: .*$/m, `From: ${from}`)
    .replace(/^Message-I[dD]: .*\r?\n/m, "");
  return Buffer.from(`Message-ID: <${randomUUID()}@${domain}>\r\n${raw}`, "latin1");
};

const replyTo = (token: string, raw: Buffer): InboundMail => ({
  raw,
  recipients: [seriesReplyAddress(token, "reply.convene.test")],
});

const links = (email: { body: { text?: string } }) => {
  const found = [
    ...(email.body.text ?? "").matchAll(/http:\/\/127\.0\.0\.1(\/api\/v1\/series-answer\?token=[^\s)>\]]+)/g),
  ];
  expect(found).toHaveLength(2);
  return { yes: found[0]![1]!, no: found[1]![1]! };
};

describe("the daily ask", { timeout: 120_000 }, () => {
  it("asks a stale series' coordinators once, however often it runs or its event is delivered", async () => {
    const series = await staleSeries("Tuesday circle");
    const dueAt = confirmationDueAt(await getSeries(series), staleAfterMonths)!.toISOString();
    const since = ports().clock.now();
    expect((await askStaleSeries(ports())).asked).toBeGreaterThanOrEqual(1);
    expect((await askStaleSeries(ports())).asked).toBe(0);
    await engine.settle();
    const stored = await getSeries(series);
    expectBetween(stored.confirmationAskedAt, since);
    // The ask's event delivered again: each email is claimed already.
    const again = newEvent(
      "SeriesConfirmationAsked",
      { organisationId: o, groupId: g },
      { seriesId: series.id, dueAt, askedAt: stored.confirmationAskedAt! },
      ports().clock.now(),
    );
    expect(await askSeriesCoordinators(ports(), again)).toEqual({ coordinators: 1, sent: 0 });

    const { email } = await askOf("Tuesday circle");
    expect(email.subject).toMatch(
      /^Is Riverside Circle still meeting on every \w+day at 19:00, London time\?$/,
    );
    expect(email.body.text).toContain('Reply "yes"');
    expect(await mailsAbout("mo", "still meeting")).toEqual([]);
    links(email);
  });

  it("does not ask about a series confirmed within its period", async () => {
    const start = new Date(ports().clock.now().getTime() + 2 * dayMs).toISOString().slice(0, 10);
    const fresh = await createSeries(ports(), o, g, {
      title: "Fresh circle",
      startLocal: `${start}T19:00`,
      durationMinutes: 60,
      duties: [],
      rrule: "FREQ=WEEKLY",
      rdates: [],
      exdates: [],
    });
    await engine.settle();
    await askStaleSeries(ports());
    await engine.settle();
    expect((await getSeries(fresh)).confirmationAskedAt).toBeUndefined();
    expect(
      (await mailsAbout("cora", "still meeting")).filter((e) => e.body.text?.includes("Fresh circle")),
    ).toEqual([]);
  });
});

describe("an answer by reply", { timeout: 120_000 }, () => {
  it('"yes" from Gmail confirms the series once, however often the reply is delivered', async () => {
    const { series, token } = await askedAbout("Wednesday circle");
    const needing = (await needingConfirmation()).find((s) => s.seriesId === series.id);
    expect(needing?.askedAt).toBe((await getSeries(series)).confirmationAskedAt);
    const raw = corpusReply("gmail.eml", `Cora Coord <cora@${domain}>`, "Yes");
    const since = ports().clock.now();
    expect(await receive(replyTo(token, raw))).toBe("confirmed");
    const confirmedAt = (await getSeries(series)).confirmedAt;
    expectBetween(confirmedAt, since);
    h.runtime.clock.advance(60_000);
    expect(await receive(replyTo(token, raw))).toBe("duplicate-message");
    expect((await getSeries(series)).confirmedAt).toBe(confirmedAt);
    await engine.settle();
    expect(await mailsAbout("cora", "Riverside Circle still meets", "Wednesday circle")).toHaveLength(1);
    expect((await needingConfirmation()).map((s) => s.seriesId)).not.toContain(series.id);
    // Confirmed: not asked again this period.
    expect((await askStaleSeries(ports())).asked).toBe(0);
  });

  it('"no" from Outlook ends the series: its sessions to come are cancelled, and the coordinator told once', async () => {
    const { series, token } = await askedAbout("Thursday circle");
    const coming = (await ports().store.listUpcomingSessions(o, g, ports().clock.now(), 1000)).filter(
      (s) => s.series?.seriesId === series.id,
    );
    expect(coming.length).toBeGreaterThan(0);
    const raw = corpusReply("outlook.eml", `cora@${domain}`, "No");
    expect(await receive(replyTo(token, raw))).toBe("ending");
    expect(await receive(replyTo(token, raw))).toBe("duplicate-message");
    await engine.settle();
    expect((await getSeries(series)).status).toBe("ended");
    const after = await Promise.all(coming.map((s) => ports().store.getSession(o, g, s.id)));
    expect(after.map((s) => s?.status)).toEqual(coming.map(() => "cancelled"));
    expect(await mailsAbout("cora", "Thursday circle has ended")).toHaveLength(1);
  });

  it("refuses a stranger's reply, an unreadable one and an auto-reply, changing nothing", async () => {
    const { series, token } = await askedAbout("Friday circle");
    const before = await getSeries(series);
    const stranger = corpusReply("apple_mail.eml", `Stranger <stranger@${domain}>`, "No");
    expect(await receive(replyTo(token, stranger))).toBe("not-from-member");
    const member = corpusReply("apple_mail.eml", `mo@${domain}`, "No");
    expect(await receive(replyTo(token, member))).toBe("not-from-member");
    const unsure = corpusReply("gmail.eml", `cora@${domain}`, "Not sure yet");
    expect(await receive(replyTo(token, unsure))).toBe("unreadable");
    const auto = Buffer.from(
      `Auto-Submitted: auto-replied\r\n${corpusReply("gmail.eml", `cora@${domain}`, "Yes").toString("latin1")}`,
      "latin1",
    );
    expect(await receive(replyTo(token, auto))).toBe("auto-reply");
    expect(await receive(replyTo("a".repeat(26), unsure))).toBe("unknown-token");
    expect(await getSeries(series)).toEqual(before);
    await engine.settle();
    // Explained to the coordinator's own address, never to the stranger's.
    expect(await mailsAbout("stranger", "")).toEqual([]);
    expect((await mailsAbout("cora", "Your reply about Friday circle changed nothing")).length).toBe(3);
  });
});

describe("an answer by link", { timeout: 120_000 }, () => {
  it("GET shows a confirmation page and changes nothing; POST acts once", async () => {
    const { series, email } = await askedAbout("Saturday circle");
    const { yes } = links(email);
    const before = await getSeries(series);
    const page = await h.call("GET", yes);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(await getSeries(series)).toEqual(before);

    const since = ports().clock.now();
    const posted = await h.call("POST", yes);
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("The series goes on");
    expectBetween((await getSeries(series)).confirmedAt, since);
    expect((await h.call("POST", yes)).status).toBe(200);
    await engine.settle();
    // Two posts of the same answer to the same ask: one confirmation.
    expect(await mailsAbout("cora", "Riverside Circle still meets", "Saturday circle")).toHaveLength(1);
  });

  it("POST of the no link ends the series; a changed link is refused", async () => {
    const { series, email } = await askedAbout("Sunday circle");
    const { no } = links(email);
    const changed = await h.call("GET", `${no.slice(0, -3)}abc`);
    expect(changed.status).toBe(400);
    expect((await h.call("GET", no)).status).toBe(200);
    expect((await getSeries(series)).status).toBe("active");
    const posted = await h.call("POST", no);
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("The series is ending");
    await engine.settle();
    expect((await getSeries(series)).status).toBe("ended");
    expect((await h.call("POST", no)).status).toBe(409);
    await engine.settle();
    expect(await mailsAbout("cora", "Sunday circle has ended")).toHaveLength(1);
  });
});

describe("the log", () => {
  it("holds no address and no typed answer of anything above", () => {
    const written = JSON.stringify(h.log.lines);
    expect(h.log.lines.some((line) => line.message === "series coordinators asked")).toBe(true);
    expect(written).not.toContain(`@${domain}`);
    expect(written).not.toContain("Cora");
    expect(written).not.toContain("Not sure yet");
  });
});
