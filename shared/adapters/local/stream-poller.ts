import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type _Record,
} from "@aws-sdk/client-dynamodb-streams";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { eventFromOutboxImage } from "../aws/dynamodb/outbox-record.ts";

export interface StreamCheckpoints {
  load(): Promise<Record<string, string>>;
  save(positions: Record<string, string>): Promise<void>;
}

/**
 * EventBridge Pipes' part on one machine: reads the table's stream from DynamoDB Local and
 * hands each new outbox record's event onwards, in order per shard. Positions are
 * checkpointed after each batch so a restart resumes where it stopped.
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
    private readonly onEvent: (event: unknown) => void,
    private readonly checkpoints?: StreamCheckpoints,
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
      for (const record of records) forwarded += this.forward(record);
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

  private forward(record: _Record): number {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== "INSERT" || !image) return 0;
    const event = eventFromOutboxImage(unmarshall(image));
    if (event === undefined) return 0;
    this.onEvent(event);
    return 1;
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
