import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb-streams";
import { itemKind } from "../aws/dynamodb/keys.ts";

export interface StreamCheckpoints {
  load(): Promise<Record<string, string>>;
  save(positions: Record<string, string>): Promise<void>;
}

/**
 * An outbox record the relay cannot read (its detail is missing, not a string, or not JSON):
 * nothing can be put on the bus for it, and passing over it would lose its event unseen.
 */
export interface UnreadableRecord {
  /** The stream record's id: the same however often the record is read. */
  eventID: string;
  sequenceNumber: string;
  /** The outbox item's key: ids only (the organisation and the event). */
  key: { PK: string; SK: string };
  eventType: string | undefined;
  /** What is wrong, in words that quote none of the record. */
  problem: string;
  /** The item as the stream carried it, for the operator to inspect. */
  image: Record<string, AttributeValue>;
}

/** Raised when an unreadable record has nowhere to go: the batch is read again, never skipped. */
export class UnreadableOutboxRecordError extends Error {
  override name = "UnreadableOutboxRecordError";
}

/**
 * The event an outbox item's image carries, or why it carries none (as the relay reads it on
 * AWS: the detail must be the event's JSON, as a string). Only the detail is read, from the
 * image as the stream gives it.
 */
export const readOutboxImage = (
  image: Record<string, AttributeValue>,
): { event: unknown } | { problem: string } => {
  const detail = image.detail;
  if (detail?.S === undefined)
    return {
      problem: detail ? `a detail of type ${Object.keys(detail)[0] ?? "?"}, not a string` : "no detail",
    };
  try {
    return { event: JSON.parse(detail.S) as unknown };
  } catch {
    // The parser's message quotes the text, so only the fact is kept.
    return { problem: "a detail that is not JSON" };
  }
};

/**
 * EventBridge Pipes' part on one machine: reads the table's stream from DynamoDB Local and
 * hands each batch of new outbox records' events onwards, in order per shard. A shard's
 * position is checkpointed only once `onEvents` has resolved, that is once the bus holds the
 * batch durably: a process that dies before that reads the batch again on restart (at least
 * once, as Pipes retries a batch), never skips it. An outbox record it cannot read goes to
 * `onUnreadable` (the dead-letter store, as Pipes sends it to the pipe's dead-letter queue),
 * and the poller moves past it once that has resolved.
 */
export class StreamPoller {
  private iterators = new Map<string, string | null>();
  private positions: Record<string, string> = {};
  private loaded = false;
  private discoveredAt = 0;
  /** Stream records (of any kind) the last pass read; drain stops only after a pass reads none. */
  private lastPassRead = 0;

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
    /** Resolves once the events are durably accepted (the bus's journal holds them). */
    private readonly onEvents: (events: unknown[]) => Promise<void>,
    private readonly checkpoints?: StreamCheckpoints,
    /** Resolves once the record is durably dead-lettered; called again for it after a restart. */
    private readonly onUnreadable: (record: UnreadableRecord) => Promise<void> = (record) =>
      Promise.reject(new UnreadableOutboxRecordError(`outbox record ${record.key.PK} has ${record.problem}`)),
  ) {}

  /** Reads every shard once; returns how many outbox events it passed on. */
  async pollOnce(): Promise<number> {
    if (!this.loaded) {
      this.positions = (await this.checkpoints?.load()) ?? {};
      this.loaded = true;
    }
    await this.discoverShards();
    let forwarded = 0;
    let read = 0;
    for (const [shardId, iterator] of this.iterators) {
      if (iterator === null) continue;
      const out = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const records = out.Records ?? [];
      read += records.length;
      const events: unknown[] = [];
      for (const record of records) {
        const outcome = this.outboxEvent(record);
        if (outcome === undefined) continue;
        if ("event" in outcome) events.push(outcome.event);
        else await this.onUnreadable(outcome);
      }
      if (events.length > 0) await this.onEvents(events);
      forwarded += events.length;
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) this.positions[shardId] = last;
      this.iterators.set(shardId, out.NextShardIterator ?? null);
      if (records.length > 0) await this.checkpoints?.save(this.positions);
    }
    this.lastPassRead = read;
    return forwarded;
  }

  /**
   * Polls until a full pass reads no record at all; returns how many events it passed on.
   * (Not "until a pass forwards nothing": a page of 1000 non-outbox records, such as delivery
   * claims, may stand in front of an outbox record.)
   */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      total += await this.pollOnce();
      if (this.lastPassRead === 0) return total;
    }
  }

  private outboxEvent(record: _Record): { event: unknown } | UnreadableRecord | undefined {
    const image = record.dynamodb?.NewImage;
    // Only outbox records are read: other items may hold what the stream cannot unmarshall
    // (DynamoDB Local gives an empty map back as `{}`), and they are not events anyway.
    if (record.eventName !== "INSERT" || image?.kind?.S !== itemKind.outbox) return undefined;
    const read = readOutboxImage(image);
    if ("event" in read) return read;
    return {
      eventID: record.eventID!,
      sequenceNumber: record.dynamodb!.SequenceNumber!,
      key: { PK: String(image.PK?.S), SK: String(image.SK?.S) },
      eventType: image.eventType?.S,
      problem: read.problem,
      image,
    };
  }

  /** Shards change rarely (hours), so the stream is described at most once a second. */
  private async discoverShards(): Promise<void> {
    if (Date.now() - this.discoveredAt < 1000 && this.iterators.size > 0) return;
    this.discoveredAt = Date.now();
    const out = await this.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of out.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (this.iterators.has(shardId)) continue;
      const after = this.positions[shardId];
      const it = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
            : { ShardIteratorType: "TRIM_HORIZON" }),
        }),
      );
      this.iterators.set(shardId, it.ShardIterator ?? null);
    }
  }
}
