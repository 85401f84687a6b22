import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { activityEventTypes, type ActivityItem, type ActivityType } from "#read-models/group-activity.ts";
import { ActivityTable } from "../src/group/activity-table.tsx";
import { describeActivity, type ActivityNames } from "../src/group/activity-words.ts";

// The Activity tab's words are a pure function of a log item and the names the page could
// read; the table renders them as text. Items follow the ActivityItem contract of the API.

const item = (type: ActivityType, facts: Partial<ActivityItem> = {}): ActivityItem => ({
  eventId: `e-${type}`,
  type,
  occurredAt: "2026-06-01T18:05:00.000Z",
  ...facts,
});

const names: ActivityNames = {
  member: (id) => ({ m1: "Amira Hassan", m2: "Ben Okafor" })[id],
  session: (id) => ({ s1: "Weekly meeting" })[id],
  vote: (id) => ({ v1: "Move to the larger room?" })[id],
  role: (id) => ({ "venue-booker": "Venue and bookings" })[id],
};
/** The group's zone: its sessions' wall times are shown on its clock, and said so. */
const zone = "Europe/London";
const nobody: ActivityNames = {
  member: () => undefined,
  session: () => undefined,
  vote: () => undefined,
  role: () => undefined,
};

describe("an activity item in words", () => {
  it.each<[string, ActivityItem, string, string[]]>([
    [
      "a session scheduled, at its wall time",
      item("SessionScheduled", { sessionId: "s1", startLocal: "2026-06-09T19:00" }),
      "Session scheduled for Tue, 9 Jun 2026, 19:00 London time",
      ["Weekly meeting"],
    ],
    [
      "a session moved, from and to",
      item("SessionRescheduled", {
        sessionId: "s1",
        startLocal: "2026-06-10T20:30",
        previousStartLocal: "2026-06-09T19:00",
      }),
      "Session moved from Tue, 9 Jun 2026, 19:00 London time to Wed, 10 Jun 2026, 20:30 London time",
      ["Weekly meeting"],
    ],
    [
      "a session cancelled",
      item("SessionCancelled", { sessionId: "s1", startLocal: "2026-06-09T19:00" }),
      "Session on Tue, 9 Jun 2026, 19:00 London time cancelled",
      ["Weekly meeting"],
    ],
    [
      "a session's attendance recorded",
      item("SessionAttendanceRecorded", { sessionId: "s1", startLocal: "2026-06-09T19:00", headcount: 1 }),
      "Attendance at the session on Tue, 9 Jun 2026, 19:00 London time recorded: 1 person",
      ["Weekly meeting"],
    ],
    [
      "a session's attendance corrected",
      item("SessionAttendanceRecorded", {
        sessionId: "s1",
        startLocal: "2026-06-09T19:00",
        headcount: 9,
        previousHeadcount: 8,
      }),
      "Attendance at the session on Tue, 9 Jun 2026, 19:00 London time corrected from 8 to 9 people",
      ["Weekly meeting"],
    ],
    [
      "a member's email bouncing",
      item("MemberEmailUndeliverable", { memberId: "m1", emailProblem: "bounced" }),
      "Email to them bounced: nothing more is emailed until their address changes",
      ["Amira Hassan"],
    ],
    [
      "a member reporting our email as spam",
      item("MemberEmailUndeliverable", { memberId: "m1", emailProblem: "complained" }),
      "Reported our email as spam: nothing more is emailed until their address changes",
      ["Amira Hassan"],
    ],
    ["a member joining", item("MemberJoinedGroup", { memberId: "m1" }), "Joined the group", ["Amira Hassan"]],
    ["a member leaving", item("MemberLeftGroup", { memberId: "m2" }), "Left the group", ["Ben Okafor"]],
    [
      "an unsubscribe from SMS",
      item("MemberUnsubscribed", { memberId: "m1", channel: "sms" }),
      "Unsubscribed from text messages",
      ["Amira Hassan"],
    ],
    [
      "an unsubscribe from email",
      item("MemberUnsubscribed", { memberId: "m1", channel: "email" }),
      "Unsubscribed from email",
      ["Amira Hassan"],
    ],
    [
      "reminder settings changed",
      item("MemberRemindersChanged", { memberId: "m1" }),
      "Changed their reminder settings",
      ["Amira Hassan"],
    ],
    [
      "a proposal put to the vote",
      item("VoteOpened", { voteId: "v1", voteKind: "proposal" }),
      "Vote opened on a proposal",
      ["Move to the larger room?"],
    ],
    [
      "an election for a role",
      item("VoteOpened", { voteId: "v9", voteKind: "election", roleId: "venue-booker" }),
      "Election opened",
      ["A vote", "Venue and bookings"],
    ],
    [
      "a ballot counted",
      item("BallotCast", { voteId: "v1", replaced: false }),
      "A ballot was counted",
      ["Move to the larger room?"],
    ],
    [
      "a ballot replaced",
      item("BallotCast", { voteId: "v1", replaced: true }),
      "A ballot was replaced by a later reply",
      ["Move to the larger room?"],
    ],
    [
      "a vote closed at its time",
      item("VoteClosed", { voteId: "v1", voteKind: "proposal", outcome: "no-quorum", closedEarly: false }),
      "Vote closed: no quorum",
      ["Move to the larger room?"],
    ],
    [
      "a vote closed early",
      item("VoteClosed", { voteId: "v1", voteKind: "proposal", outcome: "passed", closedEarly: true }),
      "Vote closed early, everyone having voted: passed",
      ["Move to the larger room?"],
    ],
    [
      "a vote cancelled",
      item("VoteCancelled", { voteId: "v1" }),
      "Vote cancelled",
      ["Move to the larger room?"],
    ],
    [
      "a holder stepping down",
      item("RoleVacated", { roleId: "venue-booker", memberId: "m2", reason: "stepped-down" }),
      "Stepped down from a role",
      ["Ben Okafor", "Venue and bookings"],
    ],
    [
      "a term ending",
      item("RoleVacated", { roleId: "venue-booker", memberId: "m2", reason: "term-ended" }),
      "Came to the end of a role's term",
      ["Ben Okafor", "Venue and bookings"],
    ],
    [
      "a role filled by election",
      item("RoleFilled", { roleId: "venue-booker", memberId: "m1", how: "elected" }),
      "Elected to a role",
      ["Amira Hassan", "Venue and bookings"],
    ],
    [
      "a role filled unopposed",
      item("RoleFilled", { roleId: "venue-booker", memberId: "m1", how: "confirmed" }),
      "Confirmed in a role, nobody having objected",
      ["Amira Hassan", "Venue and bookings"],
    ],
    [
      "a volunteer",
      item("VolunteerOffered", { roleId: "venue-booker", memberId: "m2" }),
      "Volunteered for a role",
      ["Ben Okafor", "Venue and bookings"],
    ],
    [
      "an escalation",
      item("RoleVacancyEscalated", { roleId: "venue-booker" }),
      "Role still vacant: the umbrella admins were alerted",
      ["Venue and bookings"],
    ],
    [
      "a training recorded",
      item("TrainingRecorded", { memberId: "m1", trainingId: "mental-health-first-aid" }),
      "Training recorded: Mental health first aid",
      ["Amira Hassan"],
    ],
  ])("says %s", (_what, activity, what, concerns) => {
    expect(describeActivity(activity, names, zone)).toEqual({ what, concerns });
  });

  it("has words of its own for every type the log records, and the type's name for one it does not know", () => {
    const unknown = describeActivity(
      { ...item("MemberJoinedGroup"), type: "SomethingNew" as ActivityType },
      names,
      zone,
    ).what;
    expect(unknown).toBe("Something new");
    // Every type the log records has words of its own (the switch is exhaustive at compile time).
    const said = activityEventTypes.map((type) => describeActivity(item(type), names, zone).what);
    expect(new Set(said).size).toBe(activityEventTypes.length);
  });

  it("says whom and what, without names it cannot read, in place of the ids", () => {
    expect(
      describeActivity(
        item("RoleFilled", { roleId: "venue-booker", memberId: "m-gone", how: "assigned" }),
        nobody,
        zone,
      ),
    ).toEqual({ what: "Assigned to a role", concerns: ["A former member", "Venue booker"] });
    expect(describeActivity(item("SessionCancelled", { sessionId: "s-gone" }), nobody, zone)).toEqual({
      what: "Session on a date not recorded cancelled",
      concerns: ["A session"],
    });
    expect(describeActivity(item("BallotCast", { voteId: "v-gone" }), nobody, zone).concerns).toEqual([
      "A vote",
    ]);
  });
});

describe("the activity table", () => {
  const render = (items: ActivityItem[], known: ActivityNames = names) =>
    renderToStaticMarkup(createElement(ActivityTable, { items, names: known, timeZone: zone }));

  it("is a labelled table with column headers, a row header per item, and each instant in the group's zone", () => {
    const html = render([item("MemberJoinedGroup", { memberId: "m1" })]);
    expect(html).toContain("<caption");
    expect(html).toContain("The group&#x27;s activity, newest first");
    expect(html.match(/<th scope="col">/g)).toHaveLength(3);
    expect(html).toContain('<th scope="row">Joined the group</th>');
    // 18:05 UTC on 1 June is 19:05 in London (BST).
    expect(html).toContain(
      '<time dateTime="2026-06-01T18:05:00.000Z">Mon, 1 Jun 2026, 19:05 London time</time>',
    );
  });

  it("shows a name written like markup as text", () => {
    const markup = "<img src=x onerror=alert(1)>";
    const html = render([item("MemberJoinedGroup", { memberId: "m1" })], { ...names, member: () => markup });
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
