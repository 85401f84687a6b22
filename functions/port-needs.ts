import type { EventHandler } from "../shared/bus/bus-event.ts";
import type { Ports } from "../shared/ports/ports.ts";
import type { createAnnounceVoteOutcome } from "./announce-vote-outcome/handler.ts";
import type { createCloseVote } from "./close-vote/handler.ts";
import type { createConfirmBallot } from "./confirm-ballot/handler.ts";
import type { createNotifySessionChange } from "./notify-session-change/handler.ts";
import type { createPlanSessionReminders } from "./plan-session-reminders/handler.ts";
import type { createReceiveReply } from "./receive-reply/handler.ts";
import type { createRemindVoters } from "./remind-voters/handler.ts";
import type { RouteTarget } from "./routing.ts";
import type { createSendBallots } from "./send-ballots/handler.ts";
import type { createSendSessionReminders } from "./send-session-reminders/handler.ts";

/**
 * The ports a Lambda function may be given beyond the clock and the log, which every function
 * has. `identity` is the API's bearer-token verifier (Cognito's keys).
 */
export type PortNeed = "store" | "votes" | "scheduler" | "mailer" | "sms" | "settings" | "identity";

/**
 * Every Lambda function: one per route target, the API, the outbox relay of the pipe, and
 * the inbound reply handler that SES's receipt rule invokes.
 */
export type FunctionName = RouteTarget | "api" | "outbox-relay" | "receive-reply";

/**
 * What each function is given, read by both sides: the Lambda composition root builds only
 * these ports (and validates only their variables), and the CDK app sets only their
 * environment and grants only their IAM actions. Least privilege follows from one table.
 */
export const portNeeds = {
  "plan-session-reminders": ["store", "scheduler"],
  "send-session-reminders": ["store", "mailer", "sms", "settings"],
  "notify-session-change": ["store", "mailer", "sms", "settings"],
  "send-ballots": ["store", "votes", "scheduler", "mailer", "settings"],
  "confirm-ballot": ["store", "votes", "mailer", "settings"],
  "remind-voters": ["store", "votes", "mailer", "settings"],
  "close-vote": ["store", "votes"],
  "announce-vote-outcome": ["store", "votes", "mailer", "settings"],
  api: ["store", "votes", "settings", "identity"],
  "outbox-relay": [],
  "receive-reply": ["store", "votes", "mailer", "settings"],
} as const satisfies Record<FunctionName, readonly PortNeed[]>;

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
] = [true, true, true, true, true, true, true, true];

// The inbound handler takes a mail, not an event; it is held to its needs the same way.
export const receiveReplyFitsItsNeeds: typeof createReceiveReply extends (
  ports: GivenPorts<"receive-reply">,
) => unknown
  ? true
  : false = true;
