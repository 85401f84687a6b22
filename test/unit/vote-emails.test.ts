import { describe, expect, it } from "vitest";
import {
  choiceReadingOptions,
  describeResult,
  openVote,
  tallyVote,
  type Ballot,
  type Vote,
  type VoteRequest,
} from "#domain/vote.ts";
import { readChoice } from "#inbound/read-choice.ts";
import type { RenderedEmail } from "#messages/email-kit/render-email.ts";
import { renderBallotConfirmation } from "#messages/votes/ballot-confirmation-email.ts";
import {
  renderBallotEmail,
  renderVoteReminder,
  type BallotEmailInput,
  type OptionLink,
} from "#messages/votes/ballot-email.ts";
import {
  renderReplyNotCounted,
  type ReplyNotCountedReason,
} from "#messages/votes/reply-not-counted-email.ts";
import { renderVoteCancelled, renderVoteResult } from "#messages/votes/vote-outcome-email.ts";
import { hrefs, visibleText } from "./email-reading.ts";

const hostile = "<img src=x onerror=alert(1)>";
const awkwardQuestion = `Tea & "talk" — move Sam's <b>group</b> to ${hostile}?`;
const closesAtLocal = "Tuesday 14 July 2026, 19:00 (BST)";
const unsubscribeUrl = "https://convene.example/u/tok-123";
const now = new Date("2026-07-01T12:00:00Z");
const members = ["mem-alice-0001", "mem-bob-0002", "mem-cara-0003", "mem-dev-0004"];

const request = (overrides: Partial<VoteRequest> = {}): VoteRequest => ({
  organisationId: "org-1",
  groupId: "grp-1",
  id: "vote-1",
  question: awkwardQuestion,
  kind: "proposal",
  closesAt: "2026-07-14T18:00:00Z",
  quorum: 0.5,
  threshold: 0.5,
  secrecy: "secret",
  reminderMinutesBeforeClose: 1_440,
  openedBy: "mem-coordinator-0099",
  ...overrides,
});

const proposal = (overrides: Partial<VoteRequest> = {}): Vote => openVote(request(overrides), now, members);
const choice = (overrides: Partial<VoteRequest> = {}): Vote =>
  proposal({
    kind: "choice",
    options: ["Thursday 6pm", `Caf\u00e9 & "Bar" ${hostile}`, "Online"],
    ...overrides,
  });
const election = (): Vote =>
  proposal({
    kind: "election",
    candidates: [
      { memberId: "mem-alice-0001", name: "Alice Candidate" },
      { memberId: "mem-bob-0002", name: "Bob Candidate" },
    ],
  });

const linksFor = (vote: Vote): OptionLink[] =>
  vote.options.map((option, at) => ({
    option,
    url: `https://convene.example/api/v1/ballot?token=t${at}&opt=${at}`,
  }));

const ballotInput = (vote: Vote, overrides: Partial<BallotEmailInput> = {}): BallotEmailInput => ({
  vote,
  groupName: "Carers' Circle",
  memberFirstName: "Sam",
  closesAtLocal,
  optionLinks: linksFor(vote),
  unsubscribeUrl,
  ...overrides,
});

/** Every fact is in the plain text and in what the HTML shows. */
const expectInBoth = (email: RenderedEmail, facts: readonly string[]) => {
  const shown = visibleText(email.html);
  for (const fact of facts) {
    expect(email.text).toContain(fact);
    expect(shown).toContain(fact);
  }
};

const expectEscaped = (html: string) => {
  expect(html).not.toContain("<img");
  expect(html).not.toContain("<b>");
  // Nothing outside a tag carries a bare '<', '>' or an unescaped '&'.
  const outsideTags = html.replace(/<(\/?[a-z0-9]+|!DOCTYPE)(\s[^<>]*)?>/gi, "");
  expect(outsideTags).not.toMatch(/[<>]/);
  expect(outsideTags).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
};

const expectAccessible = (html: string) => {
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain('<html lang="en">');
  expect(html).toContain('<meta charset="utf-8">');
  expect(html).toMatch(/<title>[^<]+<\/title>/);
  expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
  expect(html).toMatch(/<main>[\s\S]*<\/main>\s*<footer/);
  expect(html).not.toMatch(/<(img|table|picture|svg|video)\b/i);
  expect(html).not.toMatch(/url\(|background-image/i);
  // Links are underlined, so they don't rely on colour alone.
  for (const link of html.match(/<a\s[^>]*>/g) ?? []) expect(link).toContain("text-decoration:underline");
};

/** One of each email, every interpolated value awkward. */
const everyEmail = (): [string, RenderedEmail][] => {
  const vote = choice();
  const result = tallyVote(vote, []);
  return [
    ["ballot", renderBallotEmail(ballotInput(vote, { groupName: hostile, memberFirstName: hostile }))],
    ["reminder", renderVoteReminder(ballotInput(vote, { groupName: hostile, memberFirstName: hostile }))],
    [
      "confirmation",
      renderBallotConfirmation({
        vote: { ...vote, secrecy: "open" },
        groupName: hostile,
        memberFirstName: hostile,
        optionLabel: vote.options[1]!.label,
        replaced: false,
        closesAtLocal: `<b>${closesAtLocal}</b>`,
      }),
    ],
    [
      "not counted",
      renderReplyNotCounted({ vote, groupName: hostile, memberFirstName: hostile, reason: "unreadable" }),
    ],
    [
      "result",
      renderVoteResult({
        vote,
        groupName: hostile,
        memberFirstName: hostile,
        result,
        describe: describeResult(vote, result),
      }),
    ],
    [
      "cancelled",
      renderVoteCancelled({ vote, groupName: hostile, memberFirstName: hostile, reason: hostile }),
    ],
  ];
};

describe("every vote email", () => {
  it.each(everyEmail())("escapes every interpolated value in the %s", (_name, email) => {
    expectEscaped(email.html);
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(email.html).toContain("Tea &amp; &quot;talk&quot; — move Sam&#39;s &lt;b&gt;group&lt;/b&gt;");
  });

  it.each(everyEmail())("is an accessible document: the %s", (_name, email) => {
    expectAccessible(email.html);
  });

  it.each(everyEmail())("keeps the question in the subject, on one line: the %s", (_name, email) => {
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain(`Tea & "talk"`);
    const escaped = email.subject
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
    expect(email.html).toContain(`<title>${escaped}</title>`);
  });
});

describe("subjects", () => {
  const subjects = (question: string): string[] => {
    const vote = proposal({ question });
    const result = tallyVote(vote, []);
    const person = { groupName: "G", memberFirstName: "Sam" };
    return [
      renderBallotEmail(ballotInput(vote)).subject,
      renderVoteReminder(ballotInput(vote)).subject,
      renderBallotConfirmation({ vote, ...person, replaced: false, closesAtLocal }).subject,
      renderReplyNotCounted({ vote, ...person, reason: "empty" }).subject,
      renderVoteResult({ vote, ...person, result, describe: describeResult(vote, result) }).subject,
      renderVoteCancelled({ vote, ...person }).subject,
    ];
  };

  it("name the email and the question", () => {
    expect(subjects("Move to Thursdays?")).toEqual([
      "Your vote: Move to Thursdays?",
      "Reminder to vote: Move to Thursdays?",
      "Vote counted: Move to Thursdays?",
      "Your reply was not counted: Move to Thursdays?",
      "Vote result: Move to Thursdays?",
      "Vote cancelled: Move to Thursdays?",
    ]);
  });

  it("carry no line breaks or other control characters", () => {
    for (const subject of subjects("Two\r\nlines\u2028and\ta\u0000tab")) {
      expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      expect(subject).toMatch(/: Two lines and a tab$/);
    }
  });

  it("shorten a long question at a word break, never inside a character", () => {
    const question = `${"Should we meet somewhere else ".repeat(6)}👩‍👩‍👧 from September?`;
    const subject = renderBallotEmail(ballotInput(proposal({ question }))).subject;
    expect(subject).toMatch(/^Your vote: Should we meet somewhere else .*[a-z]…$/);
    expect(
      [...new Intl.Segmenter("en").segment(subject.slice("Your vote: ".length))].length,
    ).toBeLessThanOrEqual(80);
    expect(subject).not.toContain("👩");
    // The body keeps the whole question.
    expect(renderBallotEmail(ballotInput(proposal({ question }))).text).toContain(question);
  });
});

describe("renderBallotEmail", () => {
  it("asks a proposal's question and says exactly how to answer it, in both bodies", () => {
    const email = renderBallotEmail(ballotInput(proposal()));
    expectInBoth(email, [
      "Hello Sam,",
      "Carers' Circle is holding a vote",
      awkwardQuestion,
      "How to vote",
      "Reply to this email with just your answer on the first line: Yes, No or Abstain.",
      "We read only the first line of your reply",
      "Or choose with a link",
      "you will be asked to confirm",
      `The vote closes on ${closesAtLocal}.`,
      "You can change your vote by replying again until the vote closes.",
    ]);
    expect(email.html).toMatch(/<h2[^>]*>How to vote<\/h2>/);
    expect(email.html).toMatch(/<h2[^>]*>Or choose with a link<\/h2>/);
  });

  it("lists a choice's options numbered 1 to n, as the reply reader numbers them", () => {
    const vote = choice();
    const email = renderBallotEmail(ballotInput(vote));
    expectInBoth(email, [
      "Reply to this email with just the number or the name of your choice on the first line:",
    ]);
    const numbered = [...email.text.matchAll(/^(\d+)\. (.+)$/gm)].map((m): [string, string] => [
      m[1]!,
      m[2]!,
    ]);
    expect(numbered).toEqual(vote.options.map((option, at) => [String(at + 1), option.label]));
    expect(email.html).toContain(
      `<ol><li>Thursday 6pm</li><li>Café &amp; &quot;Bar&quot; &lt;img src=x onerror=alert(1)&gt;</li><li>Online</li></ol>`,
    );
    // What the email tells members to write is what readChoice reads.
    for (const [number, label] of numbered) {
      expect(readChoice(`${number}\n\n> quoted ballot`, choiceReadingOptions(vote))).toEqual({
        kind: "choice",
        value: label,
      });
      expect(readChoice(label, choiceReadingOptions(vote))).toEqual({ kind: "choice", value: label });
    }
  });

  it("offers the answers to a proposal that the reply reader understands", () => {
    const email = renderBallotEmail(ballotInput(proposal()));
    const answers = /first line: (.+)\.$/m.exec(email.text)![1]!.split(/, | or /);
    expect(answers).toEqual(["Yes", "No", "Abstain"]);
    expect(answers.map((answer) => readChoice(answer, { kind: "proposal" }))).toEqual([
      { kind: "choice", value: "yes" },
      { kind: "choice", value: "no" },
      { kind: "choice", value: "abstain" },
    ]);
  });

  it("lists candidates by name for an election, never by member id", () => {
    const email = renderBallotEmail(ballotInput(election()));
    expectInBoth(
      email,
      ["1. Alice Candidate", "2. Bob Candidate"].map((line) => line.slice(3)),
    );
    expect(email.text).toContain("1. Alice Candidate\n2. Bob Candidate");
    for (const id of members) expect(`${email.subject}${email.text}${email.html}`).not.toContain(id);
  });

  it("gives one link per option, in ballot order, in both bodies, with the unsubscribe link last", () => {
    const vote = choice();
    const email = renderBallotEmail(ballotInput(vote));
    const urls = linksFor(vote).map((link) => link.url);
    expect(hrefs(email.html)).toEqual([...urls, unsubscribeUrl]);
    expect(email.html).toContain('href="https://convene.example/api/v1/ballot?token=t0&amp;opt=0"');
    for (const [at, url] of urls.entries())
      expect(email.text).toContain(`Choose ${vote.options[at]!.label}: ${url}`);
    expectInBoth(email, [`Choose Thursday 6pm`, `Choose Café & "Bar" ${hostile}`]);
    expect(email.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
  });

  it("links the options in ballot order whatever order the links come in", () => {
    const vote = choice();
    const email = renderBallotEmail(ballotInput(vote, { optionLinks: linksFor(vote).reverse() }));
    expect(hrefs(email.html).slice(0, 3)).toEqual(linksFor(vote).map((link) => link.url));
  });

  it("refuses option links that are missing, doubled, unknown or not http(s)", () => {
    const vote = choice();
    const [first, second] = linksFor(vote);
    const attempts: OptionLink[][] = [
      [first!, second!],
      [first!, first!, second!],
      [first!, second!, { option: { id: "99", label: "Other" }, url: "https://convene.example/x" }],
      [first!, second!, { option: vote.options[2]!, url: "javascript:alert(1)" }],
    ];
    for (const optionLinks of attempts) {
      expect(() => renderBallotEmail(ballotInput(vote, { optionLinks }))).toThrow(RangeError);
    }
  });

  it("tells a secret ballot from an open one", () => {
    const secret = renderBallotEmail(ballotInput(proposal({ secrecy: "secret" })));
    expectInBoth(secret, ["Nobody, not even the coordinators, will see how you voted."]);
    const open = renderBallotEmail(ballotInput(proposal({ secrecy: "open" })));
    expectInBoth(open, ["This is an open ballot: the group's coordinators can see how you voted."]);
    expect(open.text).not.toContain("Nobody, not even the coordinators");
  });

  it("has an unsubscribe link only when one is given, and refuses one that is not http(s)", () => {
    const without = renderBallotEmail(ballotInput(proposal(), { unsubscribeUrl: undefined }));
    expect(without.text).not.toContain("Unsubscribe");
    expect(without.html).not.toContain("Unsubscribe");
    expect(without.text).toContain("You receive these emails as a member of Carers' Circle.");
    expect(() =>
      renderBallotEmail(ballotInput(proposal(), { unsubscribeUrl: "javascript:void(0)" })),
    ).toThrow(RangeError);
  });
});

describe("renderVoteReminder", () => {
  it("tells a non-voter the vote closes soon and repeats the ballot's how-to-answer block", () => {
    const vote = choice();
    const reminder = renderVoteReminder(ballotInput(vote));
    const ballot = renderBallotEmail(ballotInput(vote));
    expectInBoth(reminder, ["You haven't voted yet", closesAtLocal, awkwardQuestion]);
    const howTo = (text: string) => text.slice(text.indexOf("How to vote"), text.indexOf("\n--\n"));
    expect(howTo(reminder.text)).toBe(howTo(ballot.text));
    expect(hrefs(reminder.html)).toEqual(hrefs(ballot.html));
  });
});

describe("renderBallotConfirmation", () => {
  const distinctive = "Zanzibar Quokka Plan";
  const vote = (secrecy: "open" | "secret") =>
    proposal({ kind: "choice", options: ["Stay", distinctive], secrecy });

  it("repeats an open ballot's choice and says how to change it", () => {
    const email = renderBallotConfirmation({
      vote: vote("open"),
      groupName: "Carers' Circle",
      memberFirstName: "Sam",
      optionLabel: distinctive,
      replaced: false,
      closesAtLocal,
    });
    expect(email.subject).toBe(`Vote counted: ${awkwardQuestion}`);
    expectInBoth(email, [
      `You voted ${distinctive} on “${awkwardQuestion}”`,
      `To change your vote, reply again before ${closesAtLocal}`,
    ]);
    expect(email.text).not.toContain("?”.");
    expect(email.text).not.toContain("earlier vote");
  });

  it.each([false, true])("never repeats a secret ballot's choice (replaced: %s)", (replaced) => {
    const email = renderBallotConfirmation({
      vote: vote("secret"),
      groupName: "Carers' Circle",
      memberFirstName: "Sam",
      optionLabel: distinctive,
      replaced,
      closesAtLocal,
    });
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toContain("Zanzibar");
      expect(part).not.toContain("Quokka");
    }
    expectInBoth(email, [
      `Your vote on “${awkwardQuestion}” has been counted.`,
      "Your choice is secret, so we don't repeat it here.",
      `To change your vote, reply again before ${closesAtLocal}`,
    ]);
    expect(email.text.includes("It replaces your earlier vote.")).toBe(replaced);
  });
});

describe("renderReplyNotCounted", () => {
  const reasons: ReplyNotCountedReason[] = [
    "unreadable",
    "ambiguous",
    "empty",
    "vote-closed",
    "not-from-member",
    "held-for-confirmation",
  ];
  const confirmUrl = "https://convene.example/api/v1/ballot/confirm?token=abc&x=1";
  const notCounted = (reason: ReplyNotCountedReason, vote: Vote = choice()) =>
    renderReplyNotCounted({
      vote,
      groupName: "Carers' Circle",
      memberFirstName: "Sam",
      reason,
      ...(reason === "held-for-confirmation" ? { confirmUrl } : {}),
    });

  it.each(reasons)("explains %s kindly, escaped and accessible, without an unsubscribe link", (reason) => {
    const email = notCounted(reason);
    expect(email.subject).toBe(`Your reply was not counted: ${awkwardQuestion}`);
    expect(email.html).toMatch(/<h1[^>]*>Your reply was not counted<\/h1>/);
    expectEscaped(email.html);
    expectAccessible(email.html);
    expect(email.text).not.toContain("Unsubscribe");
  });

  it.each(["unreadable", "ambiguous", "empty"] as const)(
    "after an %s reply, repeats how to answer",
    (reason) => {
      const email = notCounted(reason);
      expectInBoth(email, [
        "so it was not counted",
        "To vote, reply to your ballot email with just the number or the name of your choice on the first line:",
        "We read only the first line of your reply",
      ]);
      expect(email.text).toContain(`1. Thursday 6pm\n2. Café & "Bar" ${hostile}\n3. Online`);
      expectInBoth(notCounted(reason, proposal()), [
        "To vote, reply to your ballot email with just your answer on the first line: Yes, No or Abstain.",
      ]);
    },
  );

  it("repeats the options it is given when it knows no vote", () => {
    const email = renderReplyNotCounted({
      reason: "ambiguous",
      options: [
        { id: "1", label: "Hall" },
        { id: "2", label: "Park" },
      ],
    });
    expect(email.subject).toBe("Your reply was not counted");
    expect(email.text.startsWith("Hello,\n")).toBe(true);
    expect(email.text).toContain("1. Hall\n2. Park");
  });

  it("says a closed vote did not count the reply", () => {
    expectInBoth(notCounted("vote-closed"), [
      `The vote on “${awkwardQuestion}” has closed, so your reply was not counted.`,
    ]);
  });

  it("tells the member to reply from their own address, never naming the other one", () => {
    const email = notCounted("not-from-member");
    expectInBoth(email, [
      "We received a reply to your ballot from a different email address, so it was not counted.",
      "To vote, reply from the address this ballot was sent to.",
    ]);
    expect(`${email.text}${email.html}`).not.toMatch(/@/);
  });

  it("offers a held ballot's confirmation link in both bodies, and needs one", () => {
    const email = notCounted("held-for-confirmation");
    expectInBoth(email, ["We could not verify that your reply", "confirm your vote", "Confirm my vote"]);
    expect(hrefs(email.html)).toEqual([confirmUrl]);
    expect(email.text).toContain(confirmUrl);
    expect(() => renderReplyNotCounted({ reason: "held-for-confirmation" })).toThrow(RangeError);
    expect(() =>
      renderReplyNotCounted({ reason: "held-for-confirmation", confirmUrl: "javascript:alert(1)" }),
    ).toThrow(RangeError);
  });
});

describe("renderVoteResult", () => {
  const cast = (vote: Vote, choices: string[]): Ballot[] =>
    choices.map((optionId, at) => ({
      organisationId: vote.organisationId,
      voteId: vote.id,
      memberId: members[at]!,
      optionId,
      castAt: "2026-07-02T10:00:00Z",
    }));
  const resultEmail = (vote: Vote, choices: string[], secrecy: "open" | "secret" = "open") => {
    const result = tallyVote(vote, cast(vote, choices));
    const describe = describeResult(vote, result);
    return {
      describe,
      email: renderVoteResult({
        vote: { ...vote, secrecy },
        groupName: "Carers' Circle",
        memberFirstName: "Sam",
        result,
        describe,
      }),
    };
  };

  it("gives the outcome, the counts per option, turnout and quorum in both bodies", () => {
    const { email, describe } = resultEmail(proposal(), ["yes", "yes", "no"]);
    expect(email.subject).toBe(`Vote result: ${awkwardQuestion}`);
    expectInBoth(email, [
      awkwardQuestion,
      describe,
      "Yes: 2",
      "No: 1",
      "Abstain: 0",
      "3 of 4 eligible members took part",
      "Quorum: met (at least 50% of members had to take part).",
    ]);
    expect(email.html).toMatch(/<h2[^>]*>Result<\/h2>/);
  });

  it.each<[string, () => Vote, string[], string, string]>([
    [
      "a simple majority (threshold 0.5, as ever)",
      () => proposal({ threshold: 0.5, quorum: 0 }),
      ["yes", "yes", "no", "no"],
      "Rejected",
      "The rule: the proposal needed more than half of the votes for or against it to pass; abstentions count towards turnout only.",
    ],
    [
      "two-thirds, met exactly",
      () => proposal({ threshold: { kind: "at-least", numerator: 2, denominator: 3 }, quorum: 0 }),
      ["yes", "yes", "no", "abstain"],
      "Passed",
      "The rule: the proposal needed at least two-thirds of the votes for or against it to pass; abstentions count towards turnout only.",
    ],
    [
      "66.67 % typed in the form, read as two-thirds",
      () => proposal({ threshold: 0.6667, quorum: 0 }),
      ["yes", "yes", "no"],
      "Passed",
      "needed at least two-thirds of the votes",
    ],
    [
      "unanimity in an election",
      () => ({ ...election(), threshold: { kind: "at-least", numerator: 1, denominator: 1 } }),
      ["mem-alice-0001", "mem-bob-0002", "mem-alice-0001"],
      "No candidate won all of the votes",
      "The rule: a candidate needed all of the votes to be elected.",
    ],
    [
      "at least 60% for a choice",
      () => choice({ threshold: 0.6, quorum: 0 }),
      ["1", "1", "1", "2"],
      "Thursday 6pm chosen",
      "The rule: an option needed at least 60% of the votes to be chosen.",
    ],
  ])("says which rule decided it: %s", (_case, vote, choices, outcome, rule) => {
    const { email, describe } = resultEmail(vote(), choices);
    expect(describe).toMatch(new RegExp(`^${outcome}`));
    expectInBoth(email, [rule]);
  });

  it("says when quorum was not met", () => {
    const { email } = resultEmail(proposal(), ["yes"]);
    expectInBoth(email, ["1 of 4 eligible members took part", "Quorum: not met"]);
  });

  it.each(["open", "secret"] as const)("never names or identifies a voter (%s ballot)", (secrecy) => {
    for (const { email } of [
      resultEmail(proposal(), ["yes", "no", "abstain", "yes"], secrecy),
      resultEmail(choice(), ["1", "2", "3", "1"], secrecy),
      resultEmail(election(), ["mem-alice-0001", "mem-bob-0002", "mem-alice-0001"], secrecy),
    ]) {
      const all = `${email.subject}\n${email.text}\n${email.html}`;
      for (const id of [...members, "mem-coordinator-0099"]) expect(all).not.toContain(id);
      for (const name of ["Cara", "Dev", "Sam voted", "voted for"]) expect(all).not.toContain(name);
    }
  });

  it("shows candidates by name in an election's counts", () => {
    const { email } = resultEmail(election(), ["mem-alice-0001", "mem-bob-0002", "mem-alice-0001"]);
    expectInBoth(email, ["Alice Candidate: 2", "Bob Candidate: 1", "Alice Candidate elected"]);
  });

  it("uses the labels it is given for the counts", () => {
    const vote = choice();
    const result = tallyVote(vote, []);
    const email = renderVoteResult({
      vote,
      groupName: "G",
      memberFirstName: "Sam",
      result,
      describe: describeResult(vote, result),
      optionLabels: { "1": "Thursday evening" },
    });
    expectInBoth(email, ["Thursday evening: 0", "Online: 0"]);
  });
});

describe("renderVoteCancelled", () => {
  it("says the vote is cancelled, with the reason when there is one", () => {
    const vote = proposal();
    const email = renderVoteCancelled({
      vote,
      groupName: "Carers' Circle",
      memberFirstName: "Sam",
      reason: " Asked twice ",
    });
    expect(email.subject).toBe(`Vote cancelled: ${awkwardQuestion}`);
    expectInBoth(email, [
      awkwardQuestion,
      "has been cancelled",
      "The reason given: Asked twice",
      "no result",
    ]);
    const silent = renderVoteCancelled({ vote, groupName: "Carers' Circle", memberFirstName: "Sam" });
    expect(silent.text).not.toContain("reason");
  });
});
