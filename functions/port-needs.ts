import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import type { createAnnounceVoteOutcome } from "./announce-vote-outcome/handler.ts";
import type { createCheckFacilitator } from "./check-facilitator/handler.ts";
import type { createEndRoleTerms } from "./end-role-terms/handler.ts";
import type { createEscalateVacancy } from "./escalate-vacancy/handler.ts";
import type { createExtendSeriesWindows } from "./extend-series-windows/handler.ts";
import type { createAskSeriesConfirmation } from "./ask-series-confirmation/handler.ts";
import type { createRemindTrainingExpiry } from "./remind-training-expiry/handler.ts";
import type { createCallForVolunteers } from "./call-for-volunteers/handler.ts";
import type { createFillVacancy } from "./fill-vacancy/handler.ts";
import type { createWelcomeRoleHolder } from "./welcome-role-holder/handler.ts";
import type { createCloseVote } from "./close-vote/handler.ts";
import type { createConfirmBallot } from "./confirm-ballot/handler.ts";
import type { createConfirmRsvp } from "./confirm-rsvp/handler.ts";
import type { createOfferPlace } from "./offer-place/handler.ts";
import type { createAnswerSms } from "./answer-sms/handler.ts";
import type { createNotifySessionChange } from "./notify-session-change/handler.ts";
import type { createPlanSessionReminders } from "./plan-session-reminders/handler.ts";
import type { createReceiveReply } from "./receive-reply/handler.ts";
import type { createReceiveSms } from "./receive-sms/handler.ts";
import type { createRecordDeliveryProblem } from "./record-delivery-problem/handler.ts";
import type { createRemindVoters } from "./remind-voters/handler.ts";
import type { RouteTarget } from "./routing.ts";
import type { createSendBallots } from "./send-ballots/handler.ts";
import type { createSendSessionReminders } from "./send-session-reminders/handler.ts";
import type { createTrackGroupHealth } from "./track-group-health/handler.ts";
import type { createRecordActivity } from "./record-activity/handler.ts";

/**
 * The ports a Lambda function may be given beyond the clock and the log, which every function
 * has. `identity` is the API's bearer-token verifier (Cognito's keys); `metrics` counts
 * business figures (every function that sends a message has it, as its mailer counts sends).
 */
export const portNeedNames = [
  "store",
  "votes",
  "roles",
  "series",
  "scheduler",
  "mailer",
  "sms",
  "settings",
  "identity",
  "overview",
  "activity",
  "calendarFeeds",
  "metrics",
  "rsvps",
] as const;

export type PortNeed = (typeof portNeedNames)[number];

/**
 * Every Lambda function: one per route target, the API (and the series' part of it, in a
 * function of its own), the outbox relay of the pipe, the inbound reply handler that SES's
 * receipt rule invokes, the inbound SMS handler that the two-way SMS topic invokes, and the
 * handler of SES's bounce and complaint reports.
 */
export type FunctionName =
  | RouteTarget
  | "api"
  | "planning-api"
  | "calendar-feeds"
  | "outbox-relay"
  | "receive-reply"
  | "receive-sms"
  | "record-delivery-problem";

/**
 * What each function is given, read by both sides: the Lambda composition root builds only
 * these ports (and validates only their variables), and the CDK app sets only their
 * environment and grants only their IAM actions. Least privilege follows from one table.
 */
export const portNeeds = {
  "plan-session-reminders": ["store", "scheduler"],
  "send-session-reminders": ["store", "rsvps", "mailer", "sms", "settings", "metrics"],
  "notify-session-change": ["store", "rsvps", "scheduler", "mailer", "sms", "settings", "metrics"],
  "send-ballots": ["store", "votes", "scheduler", "mailer", "settings", "metrics"],
  "confirm-ballot": ["store", "votes", "mailer", "settings", "metrics"],
  "remind-voters": ["store", "votes", "mailer", "settings", "metrics"],
  "close-vote": ["store", "votes", "metrics"],
  "announce-vote-outcome": ["store", "votes", "mailer", "settings", "metrics"],
  "escalate-vacancy": ["store", "roles", "scheduler", "mailer", "settings", "metrics"],
  "check-facilitator": ["store", "roles", "rsvps", "scheduler", "mailer", "settings", "metrics"],
  "remind-training-expiry": ["store", "roles", "scheduler", "mailer", "settings", "metrics"],
  "end-role-terms": ["store", "roles", "scheduler"],
  "call-for-volunteers": ["store", "roles", "votes", "scheduler", "mailer", "sms", "settings", "metrics"],
  "fill-vacancy": ["store", "roles", "votes", "scheduler", "mailer", "sms", "settings", "metrics"],
  "welcome-role-holder": ["store", "roles", "mailer", "settings", "metrics"],
  "track-group-health": ["store", "votes", "roles", "series", "rsvps", "overview"],
  "record-activity": ["activity"],
  "extend-series-windows": ["store", "series", "roles"],
  "ask-series-confirmation": ["store", "series", "mailer", "settings", "metrics"],
  "confirm-rsvp": ["store", "rsvps", "mailer", "settings", "metrics"],
  "offer-place": ["store", "rsvps", "scheduler", "mailer", "settings", "metrics"],
  // Answers by text act as answers by email do (RSVPs, volunteering, offers) and are answered by text.
  "answer-sms": ["store", "rsvps", "roles", "votes", "scheduler", "mailer", "sms", "settings", "metrics"],
  api: ["store", "votes", "roles", "series", "overview", "activity", "settings", "identity"],
  "planning-api": ["store", "votes", "roles", "series", "calendarFeeds", "rsvps", "settings", "identity"],
  // The public and private feeds: reads only, and no token verifier (a feed's URL is its right).
  "calendar-feeds": ["store", "series", "calendarFeeds"],
  "outbox-relay": [],
  "receive-reply": [
    "store",
    "votes",
    "roles",
    "series",
    "rsvps",
    "scheduler",
    "mailer",
    "settings",
    "metrics",
  ],
  // STOP, START and HELP are answered by text (counted as every send is); answers are kept.
  "receive-sms": ["store", "sms", "metrics"],
  "record-delivery-problem": ["store"],
} as const satisfies Record<FunctionName, readonly PortNeed[]>;

/**
 * What the bundler defines for a function's bundle so that it holds only the port makers of
 * its needs (makerByNeed in functions/composition-root.ts): `process.env.CONVENE_OMIT_<NEED>`
 * is "true" for every need the function lacks, and `process.env.CONVENE_BUNDLED` says that the
 * makers kept are the function's needs.
 */
export const bundleDefines = (name: FunctionName): Record<string, string> => {
  const needs: readonly PortNeed[] = portNeeds[name];
  const omitted = portNeedNames.filter((need) => !needs.includes(need));
  return Object.fromEntries<string>([
    ["process.env.CONVENE_BUNDLED", '"true"'],
    ...omitted.map((need): [string, string] => [`process.env.CONVENE_OMIT_${need.toUpperCase()}`, '"true"']),
  ]);
};

type GivenPorts<F extends FunctionName> = Pick<
  Ports,
  Extract<(typeof portNeeds)[F][number], keyof Ports> | "clock" | "log"
>;

/** True when a handler factory asks for no port beyond those its function is given. */
type Fits<F extends FunctionName, Factory> = Factory extends (ports: GivenPorts<F>) => EventHandler
  ? true
  : false;

// A handler that came to need a port its function is not given stops compiling here.
export const handlersFitTheirNeeds: [
  Fits<"plan-session-reminders", typeof createPlanSessionReminders>,
  Fits<"send-session-reminders", typeof createSendSessionReminders>,
  Fits<"notify-session-change", typeof createNotifySessionChange>,
  Fits<"send-ballots", typeof createSendBallots>,
  Fits<"confirm-ballot", typeof createConfirmBallot>,
  Fits<"remind-voters", typeof createRemindVoters>,
  Fits<"close-vote", typeof createCloseVote>,
  Fits<"announce-vote-outcome", typeof createAnnounceVoteOutcome>,
  Fits<"call-for-volunteers", typeof createCallForVolunteers>,
  Fits<"fill-vacancy", typeof createFillVacancy>,
  Fits<"welcome-role-holder", typeof createWelcomeRoleHolder>,
  Fits<"escalate-vacancy", typeof createEscalateVacancy>,
  Fits<"check-facilitator", typeof createCheckFacilitator>,
  Fits<"remind-training-expiry", typeof createRemindTrainingExpiry>,
  Fits<"end-role-terms", typeof createEndRoleTerms>,
  Fits<"extend-series-windows", typeof createExtendSeriesWindows>,
  Fits<"ask-series-confirmation", typeof createAskSeriesConfirmation>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];

export const trackGroupHealthFitsItsNeeds: Fits<"track-group-health", typeof createTrackGroupHealth> = true;

export const recordActivityFitsItsNeeds: Fits<"record-activity", typeof createRecordActivity> = true;

export const confirmRsvpFitsItsNeeds: Fits<"confirm-rsvp", typeof createConfirmRsvp> = true;

export const offerPlaceFitsItsNeeds: Fits<"offer-place", typeof createOfferPlace> = true;

export const answerSmsFitsItsNeeds: Fits<"answer-sms", typeof createAnswerSms> = true;

// The inbound handler takes a mail, not an event; it is held to its needs the same way.
export const receiveReplyFitsItsNeeds: typeof createReceiveReply extends (
  ports: GivenPorts<"receive-reply">,
) => unknown
  ? true
  : false = true;

// SES's reports are not Convene events either; the same holds.
export const recordDeliveryProblemFitsItsNeeds: typeof createRecordDeliveryProblem extends (
  ports: GivenPorts<"record-delivery-problem">,
) => unknown
  ? true
  : false = true;

// Inbound texts are not Convene events either; the same holds.
export const receiveSmsFitsItsNeeds: typeof createReceiveSms extends (
  ports: GivenPorts<"receive-sms">,
) => unknown
  ? true
  : false = true;
