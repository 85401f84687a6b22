import { describe, expect, it } from "vitest";
import { MalformedReportError, readDeliveryReport } from "#functions/record-delivery-problem/ses-event.ts";
import { sendEmailInput } from "#adapters/aws/ses-mailer.ts";
import { toMember } from "#domain/recipient.ts";

// SES's bounce and complaint reports (its event records, as EventBridge's detail) read into a
// member's delivery problem, and the message tags that let a report find its member. The
// records follow the examples of "Examples of event data that Amazon SES publishes".

const member = { organisationId: "org-1", id: "member-7", email: "sam@example.org" };
const email = {
  ...toMember(member, "group-3"),
  from: "Convene <r@convene.example>",
  subject: "Reminder",
  text: "Hello",
  html: "<p>Hello</p>",
};
const tags = {
  "ses:configuration-set": ["convene"],
  "convene-organisation": ["org-1"],
  "convene-group": ["group-3"],
  "convene-member": ["member-7"],
};
const mail = {
  timestamp: "2026-11-26T09:00:00.012Z",
  source: "Convene <r@convene.example>",
  messageId: "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
  destination: ["sam@example.org"],
  headersTruncated: false,
  tags,
};
const bounce = (bounceType: string, more: object = {}) => ({
  eventType: "Bounce",
  bounce: {
    bounceType,
    bounceSubType: "General",
    bouncedRecipients: [{ emailAddress: "sam@example.org", action: "failed", status: "5.1.1" }],
    timestamp: "2026-11-26T09:00:02.669Z",
    feedbackId: "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000",
  },
  mail: { ...mail, ...more },
});
const recipient = { organisationId: "org-1", groupId: "group-3", memberId: "member-7" };

describe("an email to a member", () => {
  it("carries its recipient as SES message tags", () => {
    expect(sendEmailInput(email).EmailTags).toEqual([
      { Name: "convene-organisation", Value: "org-1" },
      { Name: "convene-group", Value: "group-3" },
      { Name: "convene-member", Value: "member-7" },
    ]);
    const { recipient: _none, ...toAnAlertAddress } = email;
    expect(sendEmailInput(toAnAlertAddress).EmailTags).toBeUndefined();
  });

  it("refuses an id SES could not take as a tag, rather than sending without it", () => {
    expect(() => sendEmailInput({ ...email, recipient: { ...recipient, memberId: "a b" } })).toThrow(
      /memberId cannot be a message tag/,
    );
  });
});

describe("reading SES's report", () => {
  it("a permanent or undetermined bounce makes the member's email undeliverable", () => {
    for (const type of ["Permanent", "Undetermined"])
      expect(readDeliveryReport(bounce(type))).toEqual({
        kind: "problem",
        problem: { recipient, reason: "bounced", at: "2026-11-26T09:00:02.669Z" },
      });
  });

  it("a complaint does too", () => {
    const complaint = {
      eventType: "Complaint",
      complaint: {
        complainedRecipients: [{ emailAddress: "sam@example.org" }],
        timestamp: "2026-11-26T09:05:00.000Z",
        feedbackId: "feedback",
        complaintFeedbackType: "abuse",
      },
      mail,
    };
    expect(readDeliveryReport(complaint)).toEqual({
      kind: "problem",
      problem: { recipient, reason: "complained", at: "2026-11-26T09:05:00.000Z" },
    });
  });

  it("a transient bounce (a full mailbox) changes nothing; SES has retried it already", () => {
    expect(readDeliveryReport(bounce("Transient"))).toEqual({ kind: "ignored", why: "transient-bounce" });
  });

  it("mail without a member's tags (to an alert address) is nobody's to mark", () => {
    expect(
      readDeliveryReport(bounce("Permanent", { tags: { "ses:configuration-set": ["convene"] } })),
    ).toEqual({
      kind: "ignored",
      why: "not-to-a-member",
    });
    const { tags: _tags, ...untagged } = mail;
    expect(readDeliveryReport({ ...bounce("Permanent"), mail: untagged })).toEqual({
      kind: "ignored",
      why: "not-to-a-member",
    });
    const twoMembers = { ...tags, "convene-member": ["member-7", "member-8"] };
    expect(readDeliveryReport(bounce("Permanent", { tags: twoMembers }))).toMatchObject({ kind: "ignored" });
  });

  it("a record it cannot read throws, naming the fields, so it is kept rather than applied", () => {
    for (const [record, field] of [
      [{ ...bounce("Permanent"), eventType: "Delivery" }, "eventType"],
      [bounce("Permanently"), "bounce.bounceType"],
      [
        { ...bounce("Permanent"), bounce: { bounceType: "Permanent", timestamp: "yesterday" } },
        "bounce.timestamp",
      ],
      [{ eventType: "Bounce", bounce: bounce("Permanent").bounce }, "mail"],
    ] as const) {
      expect(() => readDeliveryReport(record)).toThrow(MalformedReportError);
      try {
        readDeliveryReport(record);
      } catch (error) {
        expect((error as MalformedReportError).paths).toContain(field);
      }
    }
  });
});
