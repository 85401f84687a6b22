import type { RouteTarget } from "./routing.ts";

/**
 * Jobs that run on the clock rather than on an event, declared once like the routing table:
 * the CDK app makes an EventBridge Scheduler schedule for each, invoking its function with
 * `{"job": <name>}` (functions/job-entry.ts); the local engine runs the same job when its
 * clock passes the time (shared/adapters/local/recurring-schedules.ts).
 */
export interface RecurringJob {
  /** What the schedule sends the function, and the job's name in its handler table. */
  name: string;
  /** The function that runs it: a route target, whose route also dead-letters its failed runs. */
  target: RouteTarget;
  /** Runs once a day at this time of day, UTC. */
  dailyAtUtc: { hour: number; minute: number };
}

export const recurringJobs = [
  {
    // A series' occurrences become sessions 13 weeks ahead; the window moves on each day.
    name: "extend-due-series-windows",
    target: "extend-series-windows",
    dailyAtUtc: { hour: 3, minute: 15 },
  },
  {
    // A series nobody has confirmed for its staleness period asks its coordinators "still meeting?".
    name: "ask-stale-series",
    target: "ask-series-confirmation",
    dailyAtUtc: { hour: 9, minute: 0 },
  },
] as const satisfies readonly RecurringJob[];

export type RecurringJobName = (typeof recurringJobs)[number]["name"];
