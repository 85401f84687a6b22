import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { GroupHealth, OrganisationOverview } from "#read-models/organisation-overview.ts";
import { filterGroups, noFilter, type GroupHealthFilter } from "../src/overview/group-health-filter.ts";
import { OverviewView } from "../src/overview/overview-view.tsx";
import { describeTrend } from "../src/overview/trend-summary.ts";

// The overview page's rendering is a pure function of the API's answer and the filter; these
// fixtures follow the OrganisationOverview contract (shared/read-models).

const group = (over: Partial<GroupHealth> & Pick<GroupHealth, "groupId" | "name">): GroupHealth => ({
  timeZone: "Europe/London",
  members: 8,
  unreachableMembers: 0,
  nextSession: { sessionId: "s1", startsAt: "2026-03-03T19:00:00Z", hasFacilitator: true },
  vacantRoles: [],
  openVotes: [],
  trainingExpiring: 0,
  seriesNeedingConfirmation: [],
  expectedVsAttended: null,
  attention: { level: "ok", reasons: [] },
  updatedAt: "2026-03-01T09:00:00Z",
  ...over,
});

const riverside = group({
  groupId: "g1",
  name: "Riverside Carers' Circle",
  nextSession: { sessionId: "s2", startsAt: "2026-03-04T19:00:00Z", hasFacilitator: false },
  vacantRoles: [
    { roleId: "facilitator", name: "Facilitator", critical: true, vacantSince: "2026-02-01T10:00:00Z" },
  ],
  attention: { level: "urgent", reasons: ["Facilitator (critical) has been vacant for 28 days"] },
});
const harbour = group({
  groupId: "g2",
  name: "Harbour Lights Recovery",
  openVotes: [
    {
      voteId: "v1",
      question: "Meet on Tuesdays?",
      closesAt: "2026-03-02T18:00:00Z",
      ballots: 2,
      eligible: 8,
    },
  ],
  attention: { level: "warning", reasons: ["A vote closes within 48 hours under its quorum"] },
});
const brooklyn = group({ groupId: "g3", name: "<img src=x onerror=alert(1)>", timeZone: "America/New_York" });
const quiet = group({
  groupId: "g4",
  name: "Quiet Hill Peer Group",
  unreachableMembers: 2,
  expectedVsAttended: { sessions: 2, expected: 9, attended: { fewerThan: 3 } },
});

const overview: OrganisationOverview = {
  organisationId: "demo",
  generatedAt: "2026-03-01T09:30:00Z",
  // Deliberately not sorted by level: the page puts groups needing help first all the same.
  groups: [brooklyn, riverside, quiet, harbour],
  trends: [
    {
      month: "2025-04",
      sessionsHeld: 10,
      attendance: null,
      voteTurnout: null,
      vacancies: 0,
      expectedVsAttended: null,
    },
    {
      month: "2025-05",
      sessionsHeld: 14,
      attendance: 7.5,
      voteTurnout: 0.62,
      vacancies: 1,
      expectedVsAttended: { sessions: 4, expected: 31, attended: 27 },
    },
    {
      month: "2025-06",
      sessionsHeld: 12,
      attendance: 6,
      voteTurnout: null,
      vacancies: 3,
      expectedVsAttended: { sessions: 1, expected: { fewerThan: 3 }, attended: 5 },
    },
  ],
};

const render = (filter: GroupHealthFilter = noFilter) =>
  renderToStaticMarkup(createElement(OverviewView, { overview, filter, onFilterChange: () => {} }));

const names = (groups: GroupHealth[]) => groups.map((g) => g.groupId);

describe("filtering the groups", () => {
  it("puts groups needing help first and keeps the API's order within a level", () => {
    expect(names(filterGroups(overview.groups, noFilter))).toEqual(["g1", "g2", "g3", "g4"]);
  });

  it("keeps only the chosen level of attention", () => {
    expect(names(filterGroups(overview.groups, { ...noFilter, level: "ok" }))).toEqual(["g3", "g4"]);
    expect(names(filterGroups(overview.groups, { ...noFilter, level: "urgent" }))).toEqual(["g1"]);
  });

  it("finds every search word in the name, the reasons or the vacant roles, ignoring case", () => {
    expect(names(filterGroups(overview.groups, { ...noFilter, search: "harbour" }))).toEqual(["g2"]);
    expect(names(filterGroups(overview.groups, { ...noFilter, search: "FACILITATOR vacant" }))).toEqual([
      "g1",
    ]);
    expect(names(filterGroups(overview.groups, { ...noFilter, search: "carers recovery" }))).toEqual([]);
  });

  it("keeps only groups with vacant roles when asked", () => {
    expect(names(filterGroups(overview.groups, { ...noFilter, onlyVacancies: true }))).toEqual(["g1"]);
  });
});

describe("the overview page", () => {
  it("lists every group, needing help first, with its attention and reasons", () => {
    const html = render();
    const order = ["Riverside Carers", "Harbour Lights", "&lt;img src=x", "Quiet Hill"].map((n) =>
      html.indexOf(n),
    );
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain("4 groups: 1 urgent, 1 needing attention, 2 fine.");
    expect(html).toContain("Facilitator (critical) has been vacant for 28 days");
    expect(html).toContain("No facilitator");
    expect(html).toContain("“Meet on Tuesdays?”: 2 of 8 voted");
    expect(html).toContain("2 unreachable");
    expect(html).toContain('href="/organisations/demo/groups/g1"');
  });

  it("shows each group's times on its own clock, and names the clock", () => {
    const html = render();
    expect(html).toContain("Wed, 4 Mar 2026, 19:00 London time");
    expect(html).toContain("Tue, 3 Mar 2026, 14:00 New York time");
    expect(html).toContain("closes Mon, 2 Mar 2026, 18:00 London time");
    expect(html).toContain("since Sun, 1 Feb 2026");
  });

  it("shows a group's name as text, never as markup", () => {
    const html = render();
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img");
  });

  it("says how many groups the filter shows", () => {
    expect(render({ ...noFilter, level: "warning" })).toContain("Showing 1 of 4 groups.");
  });

  it("draws each trend with a text alternative and a table of every month", () => {
    const html = render();
    for (const title of ["Sessions held", "Attendance per session", "Vote turnout", "Vacancies"])
      expect(html).toMatch(new RegExp(`<figcaption id="[^"]+">${title}</figcaption>`));
    expect(html.match(/<svg [^>]*role="img"/g)).toHaveLength(4);
    expect(html).toContain(
      "Apr 2025 to Jun 2025: latest 12 (Jun 2025), highest 14 (May 2025), lowest 10 (Apr 2025).",
    );
    expect(html).toContain(
      "Apr 2025 to Jun 2025: latest 62% (May 2025), highest 62% (May 2025), lowest 62% (May 2025), no figure for 2 months.",
    );
    expect(html).toContain("<td>no figure</td>");
  });

  it("shows each month's and each group's expected against attended, small counts as fewer than 3", () => {
    const html = render();
    const table = html.slice(html.indexOf('id="expected-heading"'));
    const row = (month: string) => table.match(new RegExp(`<th scope="row">${month}</th>(.*?)</tr>`))?.[1];
    expect(row("Apr 2025")).toBe('<td colSpan="3">No sessions asked</td>');
    expect(row("May 2025")).toBe("<td>4</td><td>31</td><td>27</td>");
    expect(row("Jun 2025")).toBe("<td>1</td><td>fewer than 3</td><td>5</td>");
    expect(html).toContain('<td>9 said yes, fewer than 3 came<div class="hint">2 sessions</div></td>');
  });
});

describe("a trend's summary", () => {
  it("says how many months are hidden for being under 3 people, apart from those without a figure", () => {
    const points = [
      { month: "2025-04", value: null },
      { month: "2025-05", value: null, hidden: true },
      { month: "2025-06", value: 6 },
    ];
    expect(describeTrend(points, String)).toBe(
      "Apr 2025 to Jun 2025: latest 6 (Jun 2025), highest 6 (Jun 2025), lowest 6 (Jun 2025), no figure for 1 month, fewer than 3 people in 1 month, not shown.",
    );
    expect(describeTrend([{ month: "2025-05", value: null, hidden: true }], String)).toBe(
      "May 2025 to May 2025: fewer than 3 people in 1 month, not shown.",
    );
  });

  it("says when there are no figures at all", () => {
    expect(describeTrend([{ month: "2025-01", value: null }], String)).toBe(
      "Jan 2025 to Jan 2025: no figures yet.",
    );
    expect(describeTrend([], String)).toBe("No months to show.");
  });
});
