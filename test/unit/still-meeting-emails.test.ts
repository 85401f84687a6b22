import { describe, expect, it } from "vitest";
import {
  renderStillMeetingAnswer,
  type StillMeetingAnswerNote,
} from "#messages/series/still-meeting-answer-email.ts";
import { renderStillMeeting } from "#messages/series/still-meeting-email.ts";

const ask = {
  groupName: "Riverside Circle",
  firstName: "Cora",
  seriesTitle: "Tuesday circle",
  ruleInWords: "Every Tuesday at 19:00, London time",
  confirmedOn: "8 June 2026",
  yesUrl: "https://convene.example.org/api/v1/series-answer?token=yes-token",
  noUrl: "https://convene.example.org/api/v1/series-answer?token=no-token",
};

describe('the "still meeting?" email', () => {
  it("asks in the rule's words, says how to answer by reply, and links yes and no", () => {
    const email = renderStillMeeting(ask);
    expect(email.subject).toBe("Is Riverside Circle still meeting on every Tuesday at 19:00, London time?");
    expect(email.text).toContain("Hello Cora,");
    expect(email.text).toContain('"Tuesday circle" is set to repeat every Tuesday at 19:00, London time.');
    expect(email.text).toContain("Nobody has confirmed it since 8 June 2026.");
    expect(email.text).toContain('Reply "yes"');
    expect(email.html).toContain('href="https://convene.example.org/api/v1/series-answer?token=yes-token"');
    expect(email.html).toContain('href="https://convene.example.org/api/v1/series-answer?token=no-token"');
    expect(email.text).toContain("as a coordinator of Riverside Circle");
  });

  it("escapes what coordinators typed", () => {
    const email = renderStillMeeting({ ...ask, seriesTitle: "<b>Tea & talk</b>" });
    expect(email.html).not.toContain("<b>Tea");
    expect(email.html).toContain("&lt;b&gt;Tea &amp; talk&lt;/b&gt;");
  });
});

describe("the answer's email", () => {
  const notes: StillMeetingAnswerNote[] = [
    "confirmed",
    "ended",
    "already-ended",
    "unreadable",
    "not-from-member",
    "unverified",
    "not-a-coordinator",
  ];

  it.each(notes)("says what came of %s, about the series by name", (note) => {
    const email = renderStillMeetingAnswer({
      groupName: "Riverside Circle",
      firstName: "Cora",
      seriesTitle: "Tuesday circle",
      note,
    });
    expect(email.subject).not.toBe("");
    expect(email.text).toContain("Tuesday circle");
  });

  it("tells a confirmation from an end, and a refusal changed nothing", () => {
    const of = (note: StillMeetingAnswerNote) =>
      renderStillMeetingAnswer({ groupName: "G", firstName: "C", seriesTitle: "T", note });
    expect(of("confirmed").subject).toBe("G still meets: thank you");
    expect(of("ended").text).toContain("Its sessions still to come are cancelled and members are told.");
    expect(of("not-from-member").text).toContain("from a different email address, so it changed nothing");
  });
});
