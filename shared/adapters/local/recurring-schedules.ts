import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { RecurringJob } from "#functions/recurring-jobs.ts";

/** The job's first run strictly after `instant`. */
export const nextRunAfter = (job: RecurringJob, instant: Date): Date => {
  const { hour, minute } = job.dailyAtUtc;
  const today = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate(), hour, minute);
  return new Date(today > instant.getTime() ? today : today + 86_400_000);
};

/** After a job failed, its next attempt waits this long (Scheduler retries with backoff too). */
const retryAfterMs = 5 * 60_000;

/**
 * EventBridge Scheduler's recurring schedules on one machine: each job's next run is kept in
 * the table (so a restart loses none) and is due once the local clock passes it. A run is
 * marked done only after the job returned, so a process that dies during it runs it again
 * on restart (at least once, as Scheduler); a clock moved on by weeks runs it once, as a
 * schedule that missed runs does.
 */
export class RecurringSchedules {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly jobs: readonly RecurringJob[],
  ) {}

  /** Each job's next run once read or written: this process alone writes them. */
  private readonly known = new Map<string, Date>();

  private key = (job: RecurringJob) => ({ PK: `LOCAL#RECURRING#${job.name}`, SK: "RECURRING" });

  private async nextRun(job: RecurringJob, now: Date): Promise<Date> {
    const known = this.known.get(job.name);
    if (known) return known;
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(job), ConsistentRead: true }),
    );
    if (typeof out.Item?.nextRunAt === "string") {
      const stored = new Date(out.Item.nextRunAt);
      this.known.set(job.name, stored);
      return stored;
    }
    const first = nextRunAfter(job, now);
    await this.setNextRun(job, first);
    return first;
  }

  private async setNextRun(job: RecurringJob, at: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...this.key(job), kind: "local-recurring", name: job.name, nextRunAt: at.toISOString() },
      }),
    );
    this.known.set(job.name, at);
  }

  /** The jobs due at `now`, a first look schedules each for its next time. */
  async due(now: Date): Promise<RecurringJob[]> {
    const runs = await Promise.all(this.jobs.map((job) => this.nextRun(job, now)));
    return this.jobs.filter((_, i) => runs[i]! <= now);
  }

  /** A run finished (or failed: it is tried again a little later). */
  async ran(job: RecurringJob, now: Date, succeeded: boolean): Promise<void> {
    await this.setNextRun(job, succeeded ? nextRunAfter(job, now) : new Date(now.getTime() + retryAfterMs));
  }
}
