import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { itemKind } from "#adapters/aws/dynamodb/keys.ts";
import { eventFromOutboxImage } from "#adapters/aws/dynamodb/outbox-record.ts";

/**
 * An outbox record without the JSON string it exists to carry: nothing can be put on the bus
 * for it, and passing over it would lose its event without a trace.
 */
export class MalformedOutboxRecord extends Error {
  override name = "MalformedOutboxRecord";
}

/** What a record holds instead of a string (never the value itself). */
const shapeOf = (value: unknown) =>
  value === undefined ? "no detail" : `a detail of type ${Array.isArray(value) ? "list" : typeof value}`;

/**
 * The pipe's enrichment: turns outbox stream records into the envelopes they carry, so the
 * pipe puts each envelope on the bus as an event's detail (an object, not the JSON string the
 * record stores) with its `type` as detail-type. The pipe's filter passes only inserted
 * outbox records; anything else in a batch is dropped here too, as the local poller does.
 *
 * The envelope is passed on unvalidated: every consumer validates it, and a malformed one is
 * dead-lettered by the function it reached, with the reason. An outbox record whose detail is
 * not a string, or not JSON, throws, so the pipe retries the batch (halving it until the record
 * is alone) and then sends it to the pipe's dead-letter queue.
 */
export const relayOutboxRecords = (records: readonly DynamoDBRecord[]): unknown[] =>
  records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== "INSERT" || !image) return [];
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (item.kind === itemKind.outbox && typeof item.detail !== "string")
      // The key holds ids only: which organisation and which event.
      throw new MalformedOutboxRecord(
        `outbox record ${String(item.PK)} ${String(item.SK)} has ${shapeOf(item.detail)}, not the event's JSON`,
      );
    try {
      const event = eventFromOutboxImage(item);
      return event === undefined ? [] : [event];
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Not the parser's message: it quotes the detail, which may hold a member's details.
      throw new MalformedOutboxRecord(
        `outbox record ${String(item.PK)} ${String(item.SK)} has a detail that is not JSON`,
      );
    }
  });
