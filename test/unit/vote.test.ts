import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import {
  canCast,
  cancelVote,
  choiceReadingOptions,
  closeVote,
  describeResult,
  everyoneHasVoted,
  membersYetToVote,
  openVote,
  optionFromReading,
  proposalOptions,
  reminderDueAt,
  tallyVote,
  type Ballot,
  type Vote,
  type VoteRequest,
} from "#domain/vote.ts";
import { readChoice } from "#inbound/read-choice.ts";

const now = new Date("2026-05-01T12:00:00.000Z");
const inAWeek = "2026-05-08T12:00:00.000Z";
const beforeClose = "2026-05-03T09:00:00.000Z";
const dayMs = 86_400_000;

/** "member-1" … "member-n": eligible members of the group. */
const members = (n: number): string[] => Array.from({ length: n }, (_, at) => `member-${at + 1}`);

function request(overrides: Partial<VoteRequest> = {}): VoteRequest {
  return {
    organisationId: "org-1",
    groupId: "group-1",
    id: "vote-1",
    question: "Shall we meet fortnightly from June?",
    kind: "proposal",
    closesAt: inAWeek,
    quorum: 0.5,
    threshold: 0.5,
    secrecy: "secret",
    reminderMinutesBeforeClose: 24 * 60,
    openedBy: "coordinator-1",
    ...overrides,
  };
}

const venueRequest = (overrides: Partial<VoteRequest> = {}) =>
  request({
    kind: "choice",
    question: "Where shall we meet?",
    options: ["Community Centre", "Library", "Online"],
    ...overrides,
  });

const electionRequest = (overrides: Partial<VoteRequest> = {}) =>
  request({
    kind: "election",
    question: "Who shall facilitate?",
    roleId: "role-facilitator",
    candidates: [
      { memberId: "member-1", name: "Sam Smith" },
      { memberId: "member-2", name: "Alex Jones" },
    ],
    ...overrides,
  });

const proposal = (eligible = 12, overrides: Partial<VoteRequest> = {}) =>
  openVote(request(overrides), now, members(eligible));
const venues = (eligible = 12, overrides: Partial<VoteRequest> = {}) =>
  openVote(venueRequest(overrides), now, members(eligible));
const election = (eligible = 12, overrides: Partial<VoteRequest> = {}) =>
  openVote(electionRequest(overrides), now, members(eligible));

function ballot(memberId: string, optionId: string, castAt = beforeClose, voteId = "vote-1"): Ballot {
  return { organisationId: "org-1", voteId, memberId, optionId, castAt };
}

/** Ballots for options in turn: ballots({ yes: 2, no: 1 }) → member-1 yes, member-2 yes, member-3 no. */
function ballots(byOption: Record<string, number>): Ballot[] {
  const cast: Ballot[] = [];
  for (const [optionId, count] of Object.entries(byOption)) {
    for (let i = 0; i < count; i++) cast.push(ballot(`member-${cast.length + 1}`, optionId));
  }
  return cast;
}

/** The field a DomainError "invalid" names, or a failure when something else happens. */
function invalidField(open: () => unknown): string | undefined {
  try {
    open();
  } catch (error) {
    if (error instanceof DomainError && error.kind === "invalid") return error.field;
    throw error;
  }
  throw new Error("expected the vote to be refused");
}

describe("openVote", () => {
  it("opens a proposal with yes, no and abstain, among the members eligible now", () => {
    const vote = openVote(request({ question: "  Meet fortnightly?  " }), now, [
      "member-2",
      "member-1",
      "member-2",
    ]);
    expect(vote).toEqual({
      organisationId: "org-1",
      groupId: "group-1",
      id: "vote-1",
      question: "Meet fortnightly?",
      kind: "proposal",
      options: [
        { id: "yes", label: "Yes" },
        { id: "no", label: "No" },
        { id: "abstain", label: "Abstain" },
      ],
      closesAt: inAWeek,
      quorum: 0.5,
      threshold: { kind: "majority" }, // 0.5, as the API took it: more than half
      secrecy: "secret",
      eligibleMemberIds: ["member-2", "member-1"],
      reminderMinutesBeforeClose: 1440,
      status: "open",
      openedAt: now.toISOString(),
      openedBy: "coordinator-1",
    });
    expect(proposalOptions()).toEqual(vote.options);
  });

  it("numbers a choice's options 1..n in ballot order, labels trimmed", () => {
    expect(venues(3, { options: [" Community Centre", "Library ", "Online"] }).options).toEqual([
      { id: "1", label: "Community Centre" },
      { id: "2", label: "Library" },
      { id: "3", label: "Online" },
    ]);
  });

  it("lists an election's candidates by member id with their names, and keeps the role", () => {
    const vote = election(3);
    expect(vote.options).toEqual([
      { id: "member-1", label: "Sam Smith" },
      { id: "member-2", label: "Alex Jones" },
    ]);
    expect(vote.roleId).toBe("role-facilitator");
  });

  it("stores the close as a UTC instant, whatever offset it was given in", () => {
    expect(proposal(3, { closesAt: "2026-05-08T13:00:00+01:00" }).closesAt).toBe(inAWeek);
  });

  it("accepts the limits themselves", () => {
    const exactly90Days = new Date(now.getTime() + 90 * dayMs).toISOString();
    const tenOptions = Array.from({ length: 10 }, (_, at) => `Option ${"ABCDEFGHIJ"[at]}`);
    expect(() => proposal(1, { question: "q".repeat(500) })).not.toThrow();
    // Characters, not UTF-16 code units: 500 emoji are 1000 code units.
    expect(() => proposal(1, { question: "🗳".repeat(500) })).not.toThrow();
    expect(() => proposal(1, { closesAt: exactly90Days })).not.toThrow();
    expect(() => venues(1, { options: tenOptions })).not.toThrow();
    expect(() => venues(1, { options: ["A", "B"] })).not.toThrow();
    expect(() => proposal(1, { quorum: 0, threshold: 0 })).not.toThrow();
    expect(() => proposal(1, { quorum: 1, threshold: 1 })).not.toThrow();
    expect(() => proposal(1, { reminderMinutesBeforeClose: 0 })).not.toThrow();
    expect(() => proposal(1, { reminderMinutesBeforeClose: 7 * 1440 - 1 })).not.toThrow();
  });

  const over90Days = new Date(now.getTime() + 90 * dayMs + 1).toISOString();
  const elevenOptions = Array.from({ length: 11 }, (_, at) => `Option ${at + 1}`);

  it.each<[string, () => unknown, string]>([
    ["an empty question", () => proposal(3, { question: "" }), "question"],
    ["a question of spaces", () => proposal(3, { question: "  \n " }), "question"],
    ["a question of 501 characters", () => proposal(3, { question: "q".repeat(501) }), "question"],
    ["nobody eligible", () => openVote(request(), now, []), "eligibleMemberIds"],
    ["a proposal with its own options", () => proposal(3, { options: ["Yes", "No"] }), "options"],
    [
      "a proposal with candidates",
      () => proposal(3, { candidates: [{ memberId: "member-1", name: "Sam" }] }),
      "candidates",
    ],
    ["a choice without options", () => venues(3, { options: undefined }), "options"],
    ["a choice with one option", () => venues(3, { options: ["Library"] }), "options"],
    ["a choice with 11 options", () => venues(3, { options: elevenOptions }), "options"],
    ["a choice with an empty label", () => venues(3, { options: ["Library", " "] }), "options.1"],
    ["a label with no letter or digit", () => venues(3, { options: ["👍", "👎"] }), "options.0"],
    ["a label of 201 characters", () => venues(3, { options: ["Library", "x".repeat(201)] }), "options.1"],
    [
      "two labels a reply cannot tell apart",
      () => venues(3, { options: ["Library", "Online", "LIBRARY."] }),
      "options.2",
    ],
    [
      "labels differing only in punctuation",
      () => venues(3, { options: ["Café-Nero", "café nero!"] }),
      "options.1",
    ],
    [
      "an election with one candidate",
      () => election(3, { candidates: [{ memberId: "member-1", name: "Sam Smith" }] }),
      "candidates",
    ],
    ["an election without candidates", () => election(3, { candidates: undefined }), "candidates"],
    [
      "a candidate who is not eligible",
      () =>
        election(3, {
          candidates: [
            { memberId: "member-1", name: "Sam Smith" },
            { memberId: "member-9", name: "Jo Bloggs" },
          ],
        }),
      "candidates.1.memberId",
    ],
    [
      "a candidate listed twice",
      () =>
        election(3, {
          candidates: [
            { memberId: "member-1", name: "Sam Smith" },
            { memberId: "member-2", name: "Alex Jones" },
            { memberId: "member-1", name: "Sam Smith" },
          ],
        }),
      "candidates.2.memberId",
    ],
    [
      "two candidates with the same name",
      () =>
        election(3, {
          candidates: [
            { memberId: "member-1", name: "Sam Smith" },
            { memberId: "member-2", name: "Sam Smith" },
          ],
        }),
      "candidates.1.name",
    ],
    [
      "a candidate without a name",
      () =>
        election(3, {
          candidates: [
            { memberId: "member-1", name: "" },
            { memberId: "member-2", name: "Alex Jones" },
          ],
        }),
      "candidates.0.name",
    ],
    ["a choice with candidates", () => venues(3, { candidates: [] }), "candidates"],
    ["a role for a choice", () => venues(3, { roleId: "role-facilitator" }), "roleId"],
    ["an empty role", () => election(3, { roleId: " " }), "roleId"],
    ["a close now", () => proposal(3, { closesAt: now.toISOString() }), "closesAt"],
    ["a close in the past", () => proposal(3, { closesAt: "2026-04-30T12:00:00Z" }), "closesAt"],
    ["a close more than 90 days ahead", () => proposal(3, { closesAt: over90Days }), "closesAt"],
    ["a close that is not a date", () => proposal(3, { closesAt: "next Friday" }), "closesAt"],
    ["a close without an offset", () => proposal(3, { closesAt: "2026-05-08T12:00" }), "closesAt"],
    ["an impossible close", () => proposal(3, { closesAt: "2026-05-08T25:00:00Z" }), "closesAt"],
    [
      "a negative reminder",
      () => proposal(3, { reminderMinutesBeforeClose: -1 }),
      "reminderMinutesBeforeClose",
    ],
    [
      "a reminder in fractions of a minute",
      () => proposal(3, { reminderMinutesBeforeClose: 1.5 }),
      "reminderMinutesBeforeClose",
    ],
    [
      "a reminder as long as the vote",
      () => proposal(3, { reminderMinutesBeforeClose: 7 * 1440 }),
      "reminderMinutesBeforeClose",
    ],
    ["a quorum below 0", () => proposal(3, { quorum: -0.1 }), "quorum"],
    ["a quorum above 1", () => proposal(3, { quorum: 1.01 }), "quorum"],
    ["a quorum that is not a number", () => proposal(3, { quorum: Number.NaN }), "quorum"],
    ["a threshold below 0", () => proposal(3, { threshold: -0.5 }), "threshold"],
    ["a threshold above 1", () => proposal(3, { threshold: 50 }), "threshold"],
    ["an infinite threshold", () => proposal(3, { threshold: Number.POSITIVE_INFINITY }), "threshold"],
    [
      "a fraction above 1",
      () => proposal(3, { threshold: { kind: "at-least", numerator: 4, denominator: 3 } }),
      "threshold",
    ],
    [
      "a fraction over 0",
      () => proposal(3, { threshold: { kind: "at-least", numerator: 0, denominator: 0 } }),
      "threshold",
    ],
    [
      "a fraction of non-whole numbers",
      () => proposal(3, { threshold: { kind: "at-least", numerator: 1.5, denominator: 3 } }),
      "threshold",
    ],
  ])("refuses %s, naming the field", (_case, open, field) => {
    expect(invalidField(open)).toBe(field);
  });
});

describe("tallyVote", () => {
  describe("a proposal", () => {
    it("counts yes, no and abstain, with turnout over the eligible members", () => {
      expect(tallyVote(proposal(12), ballots({ yes: 7, no: 2, abstain: 1 }))).toEqual({
        counts: { yes: 7, no: 2, abstain: 1 },
        ballots: 10,
        eligible: 12,
        turnout: 10 / 12,
        quorumMet: true,
        outcome: { kind: "passed" },
      });
    });

    it("lists every option, including those nobody chose", () => {
      expect(tallyVote(proposal(12), ballots({ no: 6 })).counts).toEqual({ yes: 0, no: 6, abstain: 0 });
    });

    it.each<[VoteRequest["threshold"], number, number, string]>([
      // threshold, yes, no, outcome
      [0.5, 6, 5, "passed"], // 0.5 is a simple majority, as it always was: more than half
      [0.5, 5, 5, "rejected"], // exactly half is not more than half
      [0.5, 5, 6, "rejected"],
      [{ kind: "majority" }, 5, 5, "rejected"],
      [{ kind: "majority" }, 6, 5, "passed"],
      [{ kind: "at-least", numerator: 1, denominator: 2 }, 5, 5, "passed"], // at least half: a tie carries
      [0.6, 3, 2, "passed"], // exactly 60% is at least 60%
      [0.6, 5, 4, "rejected"],
      [{ kind: "at-least", numerator: 2, denominator: 3 }, 6, 3, "passed"], // exactly two-thirds
      [{ kind: "at-least", numerator: 2, denominator: 3 }, 5, 3, "rejected"],
      [2 / 3, 6, 3, "passed"],
      [0.6667, 6, 3, "passed"], // 66.67 % typed in a form: two-thirds, rounded
      [0.667, 6, 3, "passed"],
      [0.6667, 5, 3, "rejected"],
      [0.67, 6, 3, "rejected"], // a whole percentage is exact: 67 %
      [0.67, 67, 33, "passed"],
      [1, 9, 0, "passed"], // every vote
      [1, 9, 1, "rejected"],
      [0, 1, 9, "passed"], // any yes at all
      [0, 0, 9, "rejected"], // but never none
    ])("threshold %j: %d yes, %d no is %s", (threshold, yes, no, outcome) => {
      const vote = proposal(200, { threshold, quorum: 0 });
      expect(tallyVote(vote, ballots({ yes, no })).outcome).toEqual({ kind: outcome });
    });

    it("compares shares exactly at the boundary (29 of 100 is at least 0.29, 11 of 20 at least 0.55)", () => {
      // 0.29 * 100 is 28.999999999999996 and 0.55 * 20 is 11.000000000000002 in floating point.
      const low = proposal(100, { threshold: 0.29, quorum: 0 });
      expect(tallyVote(low, ballots({ yes: 29, no: 71 })).outcome).toEqual({ kind: "passed" });
      expect(tallyVote(low, ballots({ yes: 28, no: 72 })).outcome).toEqual({ kind: "rejected" });
      const high = proposal(100, { threshold: 0.55, quorum: 0 });
      expect(tallyVote(high, ballots({ yes: 11, no: 9 })).outcome).toEqual({ kind: "passed" });
      expect(tallyVote(high, ballots({ yes: 10, no: 9 })).outcome).toEqual({ kind: "rejected" });
    });

    it("needs every yes-or-no ballot at threshold 1 (unanimity), abstentions aside", () => {
      const vote = proposal(10, { threshold: 1 });
      expect(tallyVote(vote, ballots({ yes: 5, abstain: 2 })).outcome).toEqual({ kind: "passed" });
      expect(tallyVote(vote, ballots({ yes: 5, no: 1 })).outcome).toEqual({ kind: "rejected" });
    });

    it("leaves abstentions out of the threshold", () => {
      // 3 of 10 ballots are yes, but 3 of the 5 that say yes or no.
      const vote = proposal(10, { threshold: 0.5 });
      expect(tallyVote(vote, ballots({ yes: 3, no: 2, abstain: 5 })).outcome).toEqual({ kind: "passed" });
    });

    it("counts abstentions towards turnout and quorum", () => {
      const vote = proposal(10, { quorum: 0.5 });
      const result = tallyVote(vote, ballots({ yes: 1, abstain: 4 }));
      expect(result).toMatchObject({
        ballots: 5,
        turnout: 0.5,
        quorumMet: true,
        outcome: { kind: "passed" },
      });
    });

    it("is no-votes when everyone who took part abstained", () => {
      const result = tallyVote(proposal(4), ballots({ abstain: 3 }));
      expect(result).toMatchObject({ quorumMet: true, outcome: { kind: "no-votes" } });
    });
  });

  describe("quorum", () => {
    it("is met exactly at the quorum and not one ballot below", () => {
      const vote = proposal(12, { quorum: 0.5 });
      expect(tallyVote(vote, ballots({ yes: 6 }))).toMatchObject({
        quorumMet: true,
        outcome: { kind: "passed" },
      });
      expect(tallyVote(vote, ballots({ yes: 5 }))).toMatchObject({
        quorumMet: false,
        outcome: { kind: "no-quorum" },
      });
    });

    it("is met exactly at a quorum that is not a round share (55 of 100 at 0.55, 8 of 12 at 2/3)", () => {
      // 0.55 * 100 is 55.00000000000001 in floating point: multiplying would miss this.
      expect(tallyVote(proposal(100, { quorum: 0.55 }), ballots({ yes: 55 })).quorumMet).toBe(true);
      expect(tallyVote(proposal(12, { quorum: 2 / 3 }), ballots({ yes: 8 })).quorumMet).toBe(true);
      expect(tallyVote(proposal(12, { quorum: 2 / 3 }), ballots({ yes: 7 })).quorumMet).toBe(false);
    });

    it("reads a quorum typed as a percentage exactly, as a threshold is (8 of 12 meets 66.67 %)", () => {
      expect(tallyVote(proposal(12, { quorum: 0.6667 }), ballots({ yes: 8 })).quorumMet).toBe(true);
      expect(tallyVote(proposal(12, { quorum: 0.667 }), ballots({ yes: 8 })).quorumMet).toBe(true);
      expect(tallyVote(proposal(12, { quorum: 0.6667 }), ballots({ yes: 7 })).quorumMet).toBe(false);
      // A whole percentage is exact, as for thresholds: 67 % of 12 is 8.04, so 8 is not enough.
      expect(tallyVote(proposal(12, { quorum: 0.67 }), ballots({ yes: 8 })).quorumMet).toBe(false);
      expect(tallyVote(proposal(12, { quorum: 1 }), ballots({ yes: 12 })).quorumMet).toBe(true);
      expect(tallyVote(proposal(12, { quorum: 1 }), ballots({ yes: 11 })).quorumMet).toBe(false);
    });

    it("decides before the counts: a unanimous choice without quorum is no-quorum", () => {
      const result = tallyVote(venues(12, { quorum: 0.75 }), ballots({ "2": 8 }));
      expect(result).toMatchObject({ counts: { "1": 0, "2": 8, "3": 0 }, outcome: { kind: "no-quorum" } });
    });

    it("with no ballots at all is no-quorum, or no-votes when the quorum is 0", () => {
      expect(tallyVote(proposal(5), []).outcome).toEqual({ kind: "no-quorum" });
      expect(tallyVote(proposal(5, { quorum: 0 }), [])).toEqual({
        counts: { yes: 0, no: 0, abstain: 0 },
        ballots: 0,
        eligible: 5,
        turnout: 0,
        quorumMet: true,
        outcome: { kind: "no-votes" },
      });
    });
  });

  describe("a choice", () => {
    it("chooses the option with the most ballots when its share exceeds the threshold", () => {
      const result = tallyVote(venues(12, { threshold: 0.4 }), ballots({ "2": 5, "3": 3, "1": 2 }));
      expect(result).toMatchObject({
        counts: { "1": 2, "2": 5, "3": 3 },
        outcome: { kind: "chosen", optionId: "2" },
      });
    });

    it("has no majority when the sole leader's share is exactly the threshold or below", () => {
      const cast = ballots({ "2": 5, "3": 3, "1": 2 });
      expect(tallyVote(venues(12, { threshold: 0.5 }), cast).outcome).toEqual({ kind: "no-majority" });
      expect(tallyVote(venues(12, { threshold: 0.49 }), cast).outcome).toEqual({
        kind: "chosen",
        optionId: "2",
      });
    });

    it("is a tie when options share the most ballots, listed in ballot order, whatever the threshold", () => {
      const cast = ballots({ "3": 4, "1": 4, "2": 2 });
      expect(tallyVote(venues(12, { threshold: 0 }), cast).outcome).toEqual({
        kind: "tie",
        optionIds: ["1", "3"],
      });
      expect(tallyVote(venues(12, { threshold: 0.5 }), cast).outcome).toEqual({
        kind: "tie",
        optionIds: ["1", "3"],
      });
    });

    it("chooses an option with a single ballot if that is all there is", () => {
      expect(tallyVote(venues(12, { quorum: 0 }), ballots({ "3": 1 })).outcome).toEqual({
        kind: "chosen",
        optionId: "3",
      });
    });
  });

  describe("an election", () => {
    it("elects the candidate, by member id", () => {
      const result = tallyVote(election(10), ballots({ "member-2": 4, "member-1": 2 }));
      expect(result.outcome).toEqual({ kind: "elected", optionId: "member-2" });
      expect(result.counts).toEqual({ "member-1": 2, "member-2": 4 });
    });

    it("ties between candidates with equal ballots", () => {
      expect(tallyVote(election(10), ballots({ "member-1": 3, "member-2": 3 })).outcome).toEqual({
        kind: "tie",
        optionIds: ["member-1", "member-2"],
      });
    });
  });

  describe("which ballots count", () => {
    it("ignores ballots from members who were not eligible when the vote opened", () => {
      const vote = proposal(4);
      const cast = [...ballots({ yes: 1, no: 2 }), ballot("member-5", "yes"), ballot("member-6", "yes")];
      expect(tallyVote(vote, cast)).toMatchObject({
        counts: { yes: 1, no: 2, abstain: 0 },
        ballots: 3,
        outcome: { kind: "rejected" },
      });
    });

    it("ignores ballots for options the vote does not have", () => {
      const cast = [ballot("member-1", "2"), ballot("member-2", "abstain"), ballot("member-3", "4")];
      expect(tallyVote(venues(4, { quorum: 0 }), cast)).toMatchObject({
        counts: { "1": 0, "2": 1, "3": 0 },
        ballots: 1,
      });
    });

    it("ignores ballots of another vote or another organisation", () => {
      const cast = [
        ballot("member-1", "yes"),
        ballot("member-2", "no", beforeClose, "vote-2"),
        { ...ballot("member-3", "no"), organisationId: "org-2" },
      ];
      expect(tallyVote(proposal(3, { quorum: 0 }), cast).counts).toEqual({ yes: 1, no: 0, abstain: 0 });
    });

    it("ignores ballots cast at or after the close", () => {
      const cast = [
        ballot("member-1", "yes", "2026-05-08T11:59:59.999Z"),
        ballot("member-2", "no", inAWeek),
        ballot("member-3", "no", "2026-05-08T12:00:01.000Z"),
      ];
      expect(tallyVote(proposal(3, { quorum: 0 }), cast).counts).toEqual({ yes: 1, no: 0, abstain: 0 });
    });

    it("counts one ballot per member: the latest, whatever order they come in", () => {
      const changedMind = [
        ballot("member-1", "no", "2026-05-02T10:00:00.000Z"),
        ballot("member-1", "yes", "2026-05-02T11:00:00.000Z"),
        ballot("member-2", "no", "2026-05-02T10:00:00.000Z"),
      ];
      const vote = proposal(2);
      for (const cast of [changedMind, [...changedMind].reverse()]) {
        expect(tallyVote(vote, cast)).toMatchObject({ counts: { yes: 1, no: 1, abstain: 0 }, ballots: 2 });
      }
    });

    it("compares cast times as instants, not as text", () => {
      const cast = [
        ballot("member-1", "yes", "2026-05-02T12:30:00+02:00"), // 10:30Z
        ballot("member-1", "no", "2026-05-02T11:00:00Z"),
      ];
      expect(tallyVote(proposal(1), cast).counts).toEqual({ yes: 0, no: 1, abstain: 0 });
    });

    it("takes the later one in the input when two ballots of a member share an instant", () => {
      const cast = [ballot("member-1", "no"), ballot("member-1", "yes")];
      expect(tallyVote(proposal(1), cast).counts).toEqual({ yes: 1, no: 0, abstain: 0 });
    });

    it("keeps a member's valid ballot when a later one does not count", () => {
      const cast = [
        ballot("member-1", "2", "2026-05-02T10:00:00.000Z"),
        ballot("member-1", "9", "2026-05-02T11:00:00.000Z"),
      ];
      expect(tallyVote(venues(1), cast).counts).toEqual({ "1": 0, "2": 1, "3": 0 });
    });
  });

  it("counts a secret and an open ballot alike", () => {
    const cast = ballots({ yes: 4, no: 3, abstain: 1 });
    const secret = tallyVote(proposal(10, { secrecy: "secret" }), cast);
    expect(secret.outcome).toEqual({ kind: "passed" });
    expect(tallyVote(proposal(10, { secrecy: "open" }), cast)).toEqual(secret);
  });
});

describe("everyoneHasVoted and membersYetToVote", () => {
  it("waits for every eligible member, listing the rest in eligibility order", () => {
    const vote = proposal(3);
    expect(membersYetToVote(vote, [ballot("member-2", "no")])).toEqual(["member-1", "member-3"]);
    expect(everyoneHasVoted(vote, ballots({ yes: 2 }))).toBe(false);
    expect(everyoneHasVoted(vote, ballots({ yes: 2, abstain: 1 }))).toBe(true);
  });

  it("is not fooled by ballots that do not count", () => {
    const vote = proposal(2);
    const cast = [ballot("member-1", "yes"), ballot("member-9", "yes"), ballot("member-2", "maybe")];
    expect(everyoneHasVoted(vote, cast)).toBe(false);
    expect(membersYetToVote(vote, cast)).toEqual(["member-2"]);
  });
});

describe("canCast", () => {
  const vote = proposal(3);

  it("accepts ballots until the close, and refuses them from the close on even before it is done", () => {
    expect(canCast(vote, new Date("2026-05-08T11:59:59.999Z"))).toBe("open");
    expect(canCast(vote, new Date(inAWeek))).toBe("past-close");
    expect(canCast(vote, new Date("2026-05-09T00:00:00.000Z"))).toBe("past-close");
  });

  it("refuses ballots for a closed or cancelled vote, whatever the time", () => {
    expect(canCast({ ...vote, status: "closed" }, now)).toBe("closed");
    expect(canCast({ ...vote, status: "cancelled" }, now)).toBe("cancelled");
  });
});

describe("closeVote and cancelVote", () => {
  const vote = proposal(3);

  it("closes at the close with the tally as its result", () => {
    const cast = ballots({ yes: 2 });
    expect(closeVote(vote, cast, new Date(inAWeek))).toEqual({
      ...vote,
      status: "closed",
      result: tallyVote(vote, cast),
    });
  });

  it("closes early only once everyone has voted", () => {
    expect(() => closeVote(vote, ballots({ yes: 2 }), now)).toThrow(DomainError);
    expect(closeVote(vote, ballots({ yes: 2, no: 1 }), now).status).toBe("closed");
  });

  it("refuses to close or cancel a vote twice", () => {
    const closed = closeVote(vote, [], new Date(inAWeek));
    const cancelled = cancelVote(vote);
    expect(cancelled).toEqual({ ...vote, status: "cancelled" });
    expect(() => closeVote(closed, [], new Date(inAWeek))).toThrow(/already closed/);
    expect(() => cancelVote(closed)).toThrow(/already closed/);
    expect(() => closeVote(cancelled, [], new Date(inAWeek))).toThrow(/already cancelled/);
  });
});

describe("reminderDueAt", () => {
  it("is the offset before the close, or null without a reminder", () => {
    expect(reminderDueAt(proposal(3))).toBe("2026-05-07T12:00:00.000Z");
    expect(reminderDueAt(proposal(3, { reminderMinutesBeforeClose: 0 }))).toBeNull();
  });
});

describe("describeResult", () => {
  const describe_ = (vote: Vote, cast: Ballot[]) => describeResult(vote, tallyVote(vote, cast));

  it.each<[string, () => string, string]>([
    [
      "a passed proposal",
      () => describe_(proposal(12), ballots({ yes: 7, no: 2, abstain: 1 })),
      "Passed: 7 yes, 2 no, 1 abstained; turnout 10 of 12 (83%)",
    ],
    [
      "a rejected proposal",
      () => describe_(proposal(12), ballots({ yes: 2, no: 7, abstain: 1 })),
      "Rejected: 2 yes, 7 no, 1 abstained; turnout 10 of 12 (83%)",
    ],
    [
      "a chosen option, with the counts most first",
      () => describe_(venues(12, { threshold: 0.4 }), ballots({ "1": 2, "2": 5, "3": 3 })),
      "Library chosen: Library 5, Online 3, Community Centre 2; turnout 10 of 12 (83%)",
    ],
    [
      "an elected candidate",
      () => describe_(election(10), ballots({ "member-2": 4, "member-1": 2 })),
      "Alex Jones elected: Alex Jones 4, Sam Smith 2; turnout 6 of 10 (60%)",
    ],
    [
      "a tie",
      () => describe_(venues(12), ballots({ "3": 4, "1": 4, "2": 2 })),
      "Tie between Community Centre and Online: Community Centre 4, Online 4, Library 2; turnout 10 of 12 (83%)",
    ],
    [
      "no majority",
      () => describe_(venues(12), ballots({ "2": 5, "3": 3, "1": 2 })),
      "No option won more than half of the votes: Library 5, Online 3, Community Centre 2; turnout 10 of 12 (83%)",
    ],
    [
      "no majority for unanimity in an election",
      () => describe_(election(10, { threshold: 1 }), ballots({ "member-2": 4, "member-1": 2 })),
      "No candidate won all of the votes: Alex Jones 4, Sam Smith 2; turnout 6 of 10 (60%)",
    ],
    [
      "no two-thirds for a choice",
      () =>
        describe_(
          venues(12, { threshold: { kind: "at-least", numerator: 2, denominator: 3 } }),
          ballots({ "2": 6, "3": 3, "1": 1 }),
        ),
      "No option won at least two-thirds of the votes: Library 6, Online 3, Community Centre 1; turnout 10 of 12 (83%)",
    ],
    [
      "no quorum",
      () => describe_(proposal(12), ballots({ yes: 3 })),
      "No quorum: turnout 3 of 12 (25%), 50% needed",
    ],
    ["no votes", () => describe_(proposal(12, { quorum: 0 }), []), "No votes: turnout 0 of 12 (0%)"],
    [
      "only abstentions",
      () => describe_(proposal(12, { quorum: 0 }), ballots({ abstain: 3 })),
      "No decision: 0 yes, 0 no, 3 abstained; turnout 3 of 12 (25%)",
    ],
    [
      "a turnout just short of everyone, not rounded up to 100%",
      () => describe_(proposal(200), ballots({ yes: 199 })),
      "Passed: 199 yes, 0 no, 0 abstained; turnout 199 of 200 (99%)",
    ],
  ])("words %s", (_case, describeIt, text) => {
    expect(describeIt()).toBe(text);
  });

  it("never names a voter, even on an open ballot", () => {
    const vote = openVote(request({ secrecy: "open", quorum: 0 }), now, ["member-alex", "member-sam"]);
    const text = describeResult(
      vote,
      tallyVote(vote, [ballot("member-alex", "yes"), ballot("member-sam", "no")]),
    );
    expect(text).toBe("Rejected: 1 yes, 1 no, 0 abstained; turnout 2 of 2 (100%)");
    expect(text).not.toMatch(/alex|sam/i);
  });
});

describe("reading a reply into an option", () => {
  const optionFor = (vote: Vote, typed: string) =>
    optionFromReading(vote, readChoice(typed, choiceReadingOptions(vote)));

  it("reads a proposal as yes, no or abstain", () => {
    const vote = proposal(3);
    expect(choiceReadingOptions(vote)).toEqual({ kind: "proposal" });
    expect(optionFor(vote, "yes")).toBe("yes");
    expect(optionFor(vote, "No thanks")).toBe("no");
    expect(optionFor(vote, "I abstain")).toBe("abstain");
  });

  it("gives readChoice a choice's labels in ballot order", () => {
    expect(choiceReadingOptions(venues(3))).toEqual({
      kind: "choice",
      options: ["Community Centre", "Library", "Online"],
    });
  });

  it("reads a choice by number or by name", () => {
    const vote = venues(3);
    expect(optionFor(vote, "2")).toBe("2");
    expect(optionFor(vote, "Option 3")).toBe("3");
    expect(optionFor(vote, "The library please")).toBe("2");
    expect(optionFor(vote, "community centre")).toBe("1");
  });

  it("reads an election by number or by name, as the candidate's member id", () => {
    const vote = election(3);
    expect(optionFor(vote, "2")).toBe("member-2");
    expect(optionFor(vote, "Sam Smith")).toBe("member-1");
  });

  it("names no option for an ambiguous, unreadable or empty reply, or a label the vote lacks", () => {
    const vote = venues(3);
    expect(optionFor(vote, "1 or 2")).toBeNull();
    expect(optionFor(vote, "yes")).toBeNull();
    expect(optionFor(vote, "")).toBeNull();
    expect(optionFromReading(vote, { kind: "choice", value: "Town Hall" })).toBeNull();
    expect(optionFromReading(proposal(3), { kind: "choice", value: "Yes" })).toBeNull();
  });
});
