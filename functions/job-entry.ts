import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import type { LambdaRuntime } from "./composition-root.ts";
import { eventEntry } from "./event-entry.ts";
import { logger } from "./logger.ts";

/** What a recurring schedule sends the function it invokes: the name of the job to run. */
export interface JobInvocation {
  job: string;
}

/**
 * The primary adapter of a function that a recurring schedule invokes directly, beside the
 * bus's events (functions/recurring-jobs.ts declares the schedules): an input naming its job
 * runs the job; an input naming another job fails, so that it is retried and dead-lettered
 * rather than lost; anything else goes through eventEntry.
 */
export const eventAndJobEntry = (
  create: (ports: Ports) => EventHandler,
  job: { name: string; create: (ports: Ports) => () => Promise<void> },
  runtime: () => Promise<Pick<LambdaRuntime, "ports">>,
) => {
  const onEvent = eventEntry(create, runtime);
  let run: (() => Promise<void>) | undefined;
  const onJob = middy(async (input: JobInvocation, _context: Context): Promise<void> => {
    if (input.job !== job.name) throw new Error(`this function runs the job ${job.name}, not ${input.job}`);
    logger.appendKeys({ job: job.name });
    run ??= job.create((await runtime()).ports);
    await run();
  }).use(injectLambdaContext(logger, { resetKeys: true }));
  return (input: Parameters<typeof onEvent>[0] | JobInvocation, context: Context) =>
    "job" in input ? onJob(input, context) : onEvent(input, context);
};
