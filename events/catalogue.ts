import type * as z from "#validation/zod-mini.ts";
import {
  MemberEmailUndeliverable,
  MemberJoinedGroup,
  MemberLeftGroup,
  MemberRemindersChanged,
  MemberUnsubscribed,
} from "./members.ts";
import { BallotCast, VoteCancelled, VoteClosed, VoteCloseDue, VoteClosingSoon, VoteOpened } from "./votes.ts";
import {
  RoleFilled,
  RoleOfferDeclined,
  RoleOfferLapsed,
  RoleTermEnded,
  RoleVacancyEscalated,
  RoleVacated,
  TrainingExpiryDue,
  TrainingRecorded,
  VacancyEscalationDue,
  VolunteerOffered,
  VolunteeringClosed,
} from "./roles.ts";
import {
  FacilitatorCheckDue,
  SessionChangeTextDue,
  SessionAttendanceRecorded,
  SessionCancelled,
  SessionReminderDue,
  SessionRescheduled,
  SessionScheduled,
} from "./sessions.ts";
import {
  SeriesChanged,
  SeriesConfirmationAsked,
  SeriesConfirmationAnswered,
  SeriesCreated,
  SeriesEnded,
} from "./series.ts";
import { OfferLapsed, PlaceOffered, RsvpRecorded, RsvpSummaryDue, WaitlistPromoted } from "./rsvp.ts";
import { MemberPhoneUndeliverable, MemberSmsOptedIn, MemberSmsOptedOut, SmsReceived } from "./sms.ts";

/** Every event Convene emits, by its type (EventBridge `detail-type`). */
export const eventCatalogue = {
  SessionScheduled,
  SessionRescheduled,
  SessionCancelled,
  SessionAttendanceRecorded,
  SessionReminderDue,
  MemberUnsubscribed,
  MemberJoinedGroup,
  MemberLeftGroup,
  MemberRemindersChanged,
  MemberEmailUndeliverable,
  VoteOpened,
  BallotCast,
  VoteClosingSoon,
  VoteCloseDue,
  VoteClosed,
  VoteCancelled,
  RoleVacated,
  RoleFilled,
  VolunteerOffered,
  RoleVacancyEscalated,
  TrainingRecorded,
  VolunteeringClosed,
  RoleOfferDeclined,
  RoleOfferLapsed,
  VacancyEscalationDue,
  RoleTermEnded,
  TrainingExpiryDue,
  FacilitatorCheckDue,
  SessionChangeTextDue,
  SeriesCreated,
  SeriesChanged,
  SeriesEnded,
  SeriesConfirmationAsked,
  SeriesConfirmationAnswered,
  RsvpRecorded,
  PlaceOffered,
  WaitlistPromoted,
  OfferLapsed,
  RsvpSummaryDue,
  SmsReceived,
  MemberSmsOptedOut,
  MemberSmsOptedIn,
  MemberPhoneUndeliverable,
} as const;

export type EventType = keyof typeof eventCatalogue;
export type ConveneEvent = { [K in EventType]: z.infer<(typeof eventCatalogue)[K]> }[EventType];
export type EventOf<K extends EventType> = z.infer<(typeof eventCatalogue)[K]>;

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventCatalogue, type);
