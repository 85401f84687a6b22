import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { eventFromOutboxImage } from "#adapters/aws/dynamodb/outbox-record.ts";

/**
 * The pipe's enrichment: turns outbox stream records into the envelopes they carry, so the
 * pipe puts each envelope on the bus as an event's detail (an object, not the JSON string the
 * record stores) with its `type` as detail-type. The pipe's filter passes only inserted
 * outbox records; anything else in a batch is dropped here too, as the local poller does.
 *
 * The envelope is passed on unvalidated: every consumer validates it, and a malformed one is
 * dead-lettered by the function it reached, with the reason. A record whose detail is not JSON
 * throws, so the pipe retries the batch and then sends it to the pipe's dead-letter queue.
 */
export const relayOutboxRecords = (records: readonly DynamoDBRecord[]): unknown[] =>
  records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== "INSERT" || !image) return [];
    const event = eventFromOutboxImage(unmarshall(image as Record<string, AttributeValue>));
    return event === undefined ? [] : [event];
  });
