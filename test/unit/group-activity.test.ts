import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventCatalogue, type ConveneEvent } from "#events/catalogue.ts";
import { parseEvent } from "#events/parse-event.ts";
import { routes } from "#functions/routing.ts";
import {
  activityEventTypes,
  activityExpiresAt,
  activityOf,
  oldestKeptAt,
} from "#read-models/group-activity.ts";

// The activity log's item of each event (shared/read-models/group-activity.ts), from the
// catalogue's published samples: ids and facts only, the same item for the same event.

const dir = new URL("../../events/samples/", import.meta.url);
const samples: ConveneEvent[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => parseEvent(JSON.parse(readFileSync(new URL(f, dir), "utf8"))));
const sampleOf = (type: string) => samples.find((e) => e.type === type)!;

/** Every string a person typed into an event: titles, venues, questions, option labels, reasons. */
const typedText = (event: ConveneEvent): string[] => {
  const data = event.data as Record<string, unknown>;
  const session = data.session as { title: string; venue?: { name: string; address?: string } } | undefined;
  const vote = data.vote as { question: string; options: { label: string }[] } | undefined;
  return [
    session?.title,
    session?.venue?.name,
    session?.venue?.address,
    vote?.question,
    ...(vote?.options.map((o) => o.label) ?? []),
    event.type === "SessionCancelled" || event.type === "VoteCancelled" ? event.data.reason : undefined,
  ].filter((text): text is string => typeof text === "string" && text.length > 0);
};

const allowed = new Set([
  ...["eventId", "type", "occurredAt", "memberId", "sessionId", "voteId", "roleId"],
  ...["startLocal", "previousStartLocal", "voteKind", "outcome", "closedEarly", "replaced"],
  ...["how", "reason", "channel", "trainingId", "headcount", "previousHeadcount", "emailProblem"],
]);

describe("the activity item of an event", () => {
  it("exists for the events that concern a group, and not for the scheduler's own triggers", () => {
    expect(samples.map((e) => e.type).sort()).toEqual(Object.keys(eventCatalogue).sort());
    const recorded = samples.filter((e) => activityOf(e) !== undefined).map((e) => e.type);
    expect(recorded.sort()).toEqual([...activityEventTypes].sort());
    for (const trigger of ["SessionReminderDue", "VoteCloseDue", "VoteClosingSoon", "FacilitatorCheckDue"])
      expect(activityOf(sampleOf(trigger))).toBeUndefined();
  });

  it("is what the routing table routes to record-activity", () => {
    const route = routes.find((r) => r.target === "record-activity")!;
    expect(route.pattern).toEqual({ source: ["convene"], "detail-type": expect.any(Array) as string[] });
    expect([...(route.pattern["detail-type"] as string[])].sort()).toEqual([...activityEventTypes].sort());
  });

  it.each(activityEventTypes)("holds ids and facts only, none of the text typed into %s", (type) => {
    const event = sampleOf(type);
    const item = activityOf(event)!;
    expect(item).toMatchObject({ eventId: event.id, type, occurredAt: event.occurredAt });
    for (const key of Object.keys(item)) expect(allowed, `${type}.${key}`).toContain(key);
    for (const text of typedText(event)) expect(JSON.stringify(item), type).not.toContain(text);
  });

  it("says what a coordinator needs of each kind", () => {
    expect(activityOf(sampleOf("VoteClosed"))).toMatchObject({ outcome: "passed", closedEarly: true });
    const vacated = sampleOf("RoleVacated");
    expect(activityOf(vacated)).toMatchObject({
      roleId: vacated.type === "RoleVacated" ? vacated.data.roleId : "",
      reason: vacated.type === "RoleVacated" ? vacated.data.reason : "",
    });
    expect(activityOf(sampleOf("RoleFilled"))).toHaveProperty("how");
    const moved = sampleOf("SessionRescheduled");
    if (moved.type !== "SessionRescheduled") throw new Error("no sample");
    expect(activityOf(moved)).toMatchObject({
      sessionId: moved.data.session.id,
      startLocal: moved.data.session.startLocal,
      previousStartLocal: moved.data.previousStartLocal,
    });
    // Whose ballot it was stays out: the ballot may be secret.
    expect(activityOf(sampleOf("BallotCast"))).not.toHaveProperty("memberId");
  });

  it("is the same for the same event, its instant written in UTC so the log sorts by it", () => {
    const event = {
      ...sampleOf("MemberJoinedGroup"),
      occurredAt: "2026-06-01T19:05:00+01:00",
    } as ConveneEvent;
    expect(activityOf(event)).toEqual(activityOf(structuredClone(event)));
    expect(activityOf(event)!.occurredAt).toBe("2026-06-01T18:05:00.000Z");
  });
});

describe("how long the log keeps an item", () => {
  it("is 400 days from its event, in epoch seconds", () => {
    expect(activityExpiresAt("2026-01-01T00:00:00.000Z")).toBe(Date.parse("2027-02-05T00:00:00.000Z") / 1000);
    expect(oldestKeptAt(new Date("2027-02-05T00:00:00.000Z"))).toBe("2026-01-01T00:00:00.000Z");
  });
});
