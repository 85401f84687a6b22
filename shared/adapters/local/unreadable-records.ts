import type { Log } from "#ports/logger.ts";
import type { Metrics } from "#ports/metrics.ts";
import type { DeadLetterStore } from "./dead-letters.ts";
import type { UnreadableRecord } from "./stream-poller.ts";

/** The dead letters' target for what the stream poller could not read: the pipe it stands for. */
export const unreadableRecordTarget = "outbox-pipe";

export interface UnreadableRecordDeps {
  deadLetters: DeadLetterStore;
  log: Log;
  metrics: Metrics;
  now: () => Date;
}

/**
 * Where the stream poller sends an outbox record it cannot read: the dead-letter store, as
 * Pipes sends such a batch to the pipe's dead-letter queue, kept with the record so the
 * operator can see it. The letter is named by the stream record's id, so a process that died
 * before moving its checkpoint reads the record again and finds it already dead-lettered
 * (the poller is the only writer, one pass at a time). The log names the record by its key:
 * ids only, never the detail.
 */
export const deadLetterUnreadableRecords =
  ({ deadLetters, log, metrics, now }: UnreadableRecordDeps) =>
  async (record: UnreadableRecord): Promise<void> => {
    const id = `stream-${record.eventID}`;
    const fields = {
      target: unreadableRecordTarget,
      outboxKey: record.key.PK,
      sequenceNumber: record.sequenceNumber,
      problem: record.problem,
    };
    if (await deadLetters.find(id)) {
      log.info("unreadable outbox record already dead-lettered", fields);
      return;
    }
    await deadLetters.add(
      {
        target: unreadableRecordTarget,
        reason: `MalformedOutboxRecord: outbox record ${record.key.PK} has ${record.problem}`,
        attempts: 0,
        failedAt: now().toISOString(),
        event: {
          type: record.eventType,
          eventID: record.eventID,
          sequenceNumber: record.sequenceNumber,
          image: record.image,
        },
      },
      id,
    );
    log.error("unreadable outbox record dead-lettered", fields);
    metrics.count("DeadLetters", { target: unreadableRecordTarget });
  };
