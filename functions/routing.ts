import { eventSource } from "#events/envelope.ts";
import type { EventType } from "#events/catalogue.ts";
import type { EventPattern } from "#bus/event-pattern.ts";
import { activityEventTypes } from "#read-models/group-activity.ts";
import { groupHealthEventTypes } from "#use-cases/overview/track-group-health.ts";

/**
 * Which handler reacts to which events, as EventBridge patterns. Declared once: the CDK app
 * turns each entry into a rule, the local bus dispatches with the same patterns.
 */
export interface Route {
  /** The function folder under functions/, which is also the handler's name. */
  target: string;
  pattern: EventPattern;
}

const onTypes = (...types: EventType[]): EventPattern => ({ source: [eventSource], "detail-type": types });

export const routes = [
  {
    target: "plan-session-reminders",
    pattern: onTypes("SessionScheduled", "SessionRescheduled", "MemberJoinedGroup", "MemberRemindersChanged"),
  },
  { target: "send-session-reminders", pattern: onTypes("SessionReminderDue") },
  {
    target: "notify-session-change",
    pattern: onTypes("SessionRescheduled", "SessionCancelled", "SessionChangeTextDue"),
  },
  { target: "send-ballots", pattern: onTypes("VoteOpened") },
  { target: "confirm-ballot", pattern: onTypes("BallotCast") },
  { target: "remind-voters", pattern: onTypes("VoteClosingSoon") },
  { target: "close-vote", pattern: onTypes("VoteCloseDue") },
  { target: "announce-vote-outcome", pattern: onTypes("VoteClosed", "VoteCancelled") },
  {
    target: "escalate-vacancy",
    pattern: onTypes("RoleVacated", "VacancyEscalationDue", "RoleVacancyEscalated"),
  },
  {
    target: "check-facilitator",
    pattern: onTypes(
      "SessionScheduled",
      "SessionRescheduled",
      "FacilitatorCheckDue",
      "RsvpSummaryDue",
      // Who facilitates may have changed: sessions within 7 days are checked at once.
      "MemberLeftGroup",
      "RoleVacated",
    ),
  },
  { target: "remind-training-expiry", pattern: onTypes("TrainingRecorded", "TrainingExpiryDue") },
  { target: "end-role-terms", pattern: onTypes("RoleFilled", "RoleTermEnded") },
  { target: "call-for-volunteers", pattern: onTypes("RoleVacated", "VolunteerOffered") },
  {
    target: "fill-vacancy",
    pattern: onTypes("VolunteeringClosed", "RoleOfferDeclined", "RoleOfferLapsed", "VoteClosed"),
  },
  { target: "welcome-role-holder", pattern: onTypes("RoleFilled") },
  {
    // A series' sessions 13 weeks ahead (also moved on daily: functions/recurring-jobs.ts).
    target: "extend-series-windows",
    pattern: onTypes("SeriesCreated", "SeriesChanged", "SeriesEnded"),
  },
  {
    // "Still meeting?": the ask's emails, and the answer's (asked daily: functions/recurring-jobs.ts).
    target: "ask-series-confirmation",
    pattern: onTypes("SeriesConfirmationAsked", "SeriesConfirmationAnswered"),
  },
  // Who is coming: each answer confirmed; a freed place offered, and passed on when it lapses;
  // a member who left gives up their places to come.
  { target: "confirm-rsvp", pattern: onTypes("RsvpRecorded") },
  { target: "offer-place", pattern: onTypes("PlaceOffered", "OfferLapsed", "MemberLeftGroup") },
  // A text that is no keyword: the answer to what the member was asked by text.
  { target: "answer-sms", pattern: onTypes("SmsReceived") },
  {
    // The organisation overview's projection: every event that changes a group's health.
    target: "track-group-health",
    pattern: onTypes(...groupHealthEventTypes),
  },
  {
    // The group's activity log: every event that concerns a group, none of the scheduler's
    // own triggers (shared/read-models/group-activity.ts says why).
    target: "record-activity",
    pattern: onTypes(...activityEventTypes),
  },
] as const satisfies readonly Route[];

export type RouteTarget = (typeof routes)[number]["target"];
