import { takesSms } from "./consent.ts";
import type { Member } from "./member.ts";

/**
 * What a text of ours asked a member, kept by the id the SMS provider gave the text, so that an
 * answer (which may name that id) finds its question: an RSVP for a session, a call for
 * volunteers, a rotation offer.
 */
export type AskedBySms =
  | { kind: "rsvp"; groupId: string; sessionId: string }
  | { kind: "call" | "offer"; groupId: string; roleId: string; vacantSince: string };

/** The answers a question by text takes (a call for volunteers reads only "yes"). */
export type SmsAnswerWord = "yes" | "no" | "maybe";

/**
 * A numbered menu, sent when an answer could be for several open questions: it keeps the
 * answer given and the questions offered, in the menu's order, until the member picks one.
 */
export interface SmsMenu {
  kind: "menu";
  answer: SmsAnswerWord;
  options: AskedBySms[];
}

export interface SmsQuestion {
  organisationId: string;
  memberId: string;
  /** The provider's id for the text that asked (AWS: SendTextMessage's MessageId). */
  messageId: string;
  askedAt: string;
  about: AskedBySms | SmsMenu;
  /** When an answer to it was acted on: it is no longer the member's open question. */
  answeredAt?: string;
}

/** How long a question by text can be answered: past that its answer goes to the coordinators. */
export const smsQuestionLifetimeDays = 30;

/** The same question, whatever text asked it. */
export const sameQuestion = (a: AskedBySms, b: AskedBySms): boolean =>
  a.kind === "rsvp"
    ? b.kind === "rsvp" && a.groupId === b.groupId && a.sessionId === b.sessionId
    : b.kind === a.kind &&
      a.groupId === b.groupId &&
      a.roleId === b.roleId &&
      a.vacantSince === b.vacantSince;

/** Questions go by text to members who chose SMS for reminders and whom a text can reach. */
export const asksBySms = (member: Member): boolean =>
  member.reminders.some((r) => r.channel === "sms") && takesSms(member);
