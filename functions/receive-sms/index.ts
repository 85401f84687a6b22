import { lambdaRuntime } from "../composition-root.ts";
import { createReceiveSms } from "./handler.ts";
import { snsTextsEntry } from "./sns-texts.ts";

/** Lambda entry: the two-way SMS topic delivers each inbound text; the handler is the local one. */
export const handler = snsTextsEntry(createReceiveSms, lambdaRuntime("receive-sms"));
