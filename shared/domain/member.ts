import type { Consent } from "./consent.ts";
import type { PhoneUndeliverable } from "./sms-failure.ts";

export type Channel = "email" | "sms";
export const channels = ["email", "sms"] as const;

/** One reminder a member wants: on a channel, this many minutes before a session starts. */
export interface ReminderPreference {
  channel: Channel;
  offsetMinutes: number;
}

/** Wall-clock window (in the group's time zone) in which no SMS may arrive, e.g. 21:00–08:00. */
export interface QuietHours {
  start: string; // "HH:mm"
  end: string; // "HH:mm"
}

/**
 * A person of the organisation. Members join groups; they have no account and act by
 * replying to email. Contact details are personal data: never log them.
 */
export interface Member {
  organisationId: string;
  id: string;
  name: string;
  email: string;
  phone?: string; // E.164
  reminders: ReminderPreference[];
  quietHours?: QuietHours;
  /** Channels the member has unsubscribed from; nothing is sent on them. */
  unsubscribed: Channel[];
  /**
   * Mail to the address came back for good (a permanent bounce) or was reported as spam:
   * nothing more is emailed to it until the address is changed.
   */
  emailUndeliverable?: EmailUndeliverable;
  /**
   * A text to the number failed for good (shared/domain/sms-failure.ts): nothing more is texted
   * to it. It names the number that failed, so a new number is texted again.
   */
  phoneUndeliverable?: PhoneUndeliverable;
  /**
   * The member's latest SMS consent record (shared/domain/consent.ts); absent for members from
   * before consent was recorded, whose choice of SMS counts as consent (see smsConsentOf).
   */
  smsConsent?: Consent;
  createdAt: string;
}

export type UndeliverableReason = "bounced" | "complained";
export const undeliverableReasons = ["bounced", "complained"] as const;

export interface EmailUndeliverable {
  reason: UndeliverableReason;
  /** ISO UTC instant SES reported it. */
  since: string;
}

/** Whether an email to the member can arrive: their address has neither bounced nor complained. */
export const emailArrives = (member: Pick<Member, "emailUndeliverable">): boolean =>
  member.emailUndeliverable === undefined;

/** Whether the member takes email about their groups: it arrives, and they have not unsubscribed. */
export const takesEmail = (member: Pick<Member, "emailUndeliverable" | "unsubscribed">): boolean =>
  emailArrives(member) && !member.unsubscribed.includes("email");

/** A member's place in a group. */
export interface Membership {
  organisationId: string;
  groupId: string;
  memberId: string;
  joinedAt: string;
}
