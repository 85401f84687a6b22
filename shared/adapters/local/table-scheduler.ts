import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BatchedWrites } from "#adapters/aws/dynamodb/batched-writes.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { OneTimeSchedule, Scheduler } from "#ports/scheduler.ts";

const partition = "LOCAL#SCHEDULES";

/**
 * EventBridge Scheduler's part on one machine: schedules persist in the table (so a restart
 * loses none) and fire when the local clock passes them, then delete themselves.
 */
export class TableScheduler implements Scheduler {
  /** Fired schedules are deleted together, 25 a request. */
  private readonly deletes: BatchedWrites;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.deletes = new BatchedWrites(doc, tableName);
  }

  async scheduleOnce(schedule: OneTimeSchedule): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: `LOCAL#SCHEDULE#${schedule.name}`,
            SK: "SCHEDULE",
            GSI1PK: partition,
            GSI1SK: `${schedule.at.toISOString()}#${schedule.name}`,
            kind: "local-schedule",
            name: schedule.name,
            timeZone: schedule.timeZone,
            detail: JSON.stringify(schedule.event),
          },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Schedules due at or before `now`, oldest first. */
  async due(now: Date, limit = 500): Promise<{ name: string; event: unknown }[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk AND GSI1SK <= :now",
        ExpressionAttributeValues: { ":pk": partition, ":now": `${now.toISOString()}#~` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => ({
      name: i.name as string,
      event: JSON.parse(i.detail as string) as ConveneEvent,
    }));
  }

  async delete(name: string): Promise<void> {
    await this.deletes.delete({ PK: `LOCAL#SCHEDULE#${name}`, SK: "SCHEDULE" });
  }

  async count(): Promise<number> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": partition },
        Select: "COUNT",
      }),
    );
    return out.Count ?? 0;
  }
}
