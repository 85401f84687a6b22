import { lambdaRuntime } from "../composition-root.ts";
import { eventEntry } from "../event-entry.ts";
import { createAnswerSms } from "./handler.ts";

/** Lambda entry: the rule for this target delivers the event; the handler is the local one. */
export const handler = eventEntry(createAnswerSms, lambdaRuntime("answer-sms"));
