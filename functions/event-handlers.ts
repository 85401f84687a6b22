import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { createNotifySessionChange } from "./notify-session-change/handler.ts";
import { createPlanSessionReminders } from "./plan-session-reminders/handler.ts";
import type { RouteTarget } from "./routing.ts";
import { createAnnounceVoteOutcome } from "./announce-vote-outcome/handler.ts";
import { createAskSeriesConfirmation, createAskStaleSeries } from "./ask-series-confirmation/handler.ts";
import { createCheckFacilitator } from "./check-facilitator/handler.ts";
import { createEndRoleTerms } from "./end-role-terms/handler.ts";
import { createEscalateVacancy } from "./escalate-vacancy/handler.ts";
import { createExtendDueSeriesWindows, createExtendSeriesWindows } from "./extend-series-windows/handler.ts";
import type { RecurringJobName } from "./recurring-jobs.ts";
import { createRemindTrainingExpiry } from "./remind-training-expiry/handler.ts";
import { createCallForVolunteers } from "./call-for-volunteers/handler.ts";
import { createFillVacancy } from "./fill-vacancy/handler.ts";
import { createWelcomeRoleHolder } from "./welcome-role-holder/handler.ts";
import { createCloseVote } from "./close-vote/handler.ts";
import { createConfirmBallot } from "./confirm-ballot/handler.ts";
import { createConfirmRsvp } from "./confirm-rsvp/handler.ts";
import { createOfferPlace } from "./offer-place/handler.ts";
import { createAnswerSms } from "./answer-sms/handler.ts";
import { createRemindVoters } from "./remind-voters/handler.ts";
import { createSendBallots } from "./send-ballots/handler.ts";
import { createSendSessionReminders } from "./send-session-reminders/handler.ts";
import { createTrackGroupHealth } from "./track-group-health/handler.ts";
import { createRecordActivity } from "./record-activity/handler.ts";

/** Every event handler by its route target; each runtime builds them from its own ports. */
export const eventHandlers: Record<RouteTarget, (ports: Ports) => EventHandler> = {
  "plan-session-reminders": createPlanSessionReminders,
  "send-session-reminders": createSendSessionReminders,
  "notify-session-change": createNotifySessionChange,
  "send-ballots": createSendBallots,
  "confirm-ballot": createConfirmBallot,
  "remind-voters": createRemindVoters,
  "close-vote": createCloseVote,
  "announce-vote-outcome": createAnnounceVoteOutcome,
  "escalate-vacancy": createEscalateVacancy,
  "check-facilitator": createCheckFacilitator,
  "remind-training-expiry": createRemindTrainingExpiry,
  "end-role-terms": createEndRoleTerms,
  "call-for-volunteers": createCallForVolunteers,
  "fill-vacancy": createFillVacancy,
  "welcome-role-holder": createWelcomeRoleHolder,
  "track-group-health": createTrackGroupHealth,
  "record-activity": createRecordActivity,
  "extend-series-windows": createExtendSeriesWindows,
  "ask-series-confirmation": createAskSeriesConfirmation,
  "confirm-rsvp": createConfirmRsvp,
  "offer-place": createOfferPlace,
  "answer-sms": createAnswerSms,
};

/** Every recurring job (functions/recurring-jobs.ts) by its name, built like the handlers. */
export const jobHandlers: Record<RecurringJobName, (ports: Ports) => () => Promise<void>> = {
  "extend-due-series-windows": createExtendDueSeriesWindows,
  "ask-stale-series": createAskStaleSeries,
};
