import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { itemKind, keys } from "#adapters/aws/dynamodb/keys.ts";

export interface PhoneIndexBackfill {
  /** Members with a phone number that the scan read. */
  members: number;
  /** Given their phone key now. */
  indexed: number;
  /** Already carrying the right key: written since the index existed, or by an earlier run. */
  alreadyIndexed: number;
  /** Changed between the scan and the write (the change wrote their key itself): left alone. */
  changedMeanwhile: number;
}

/**
 * Gives every member with a phone number the GSI1 key an inbound text finds them by
 * (keys.memberPhone): members written before that index existed lack it, so their STOP would
 * read as from an unknown number. Idempotent: a member whose key is right is not written, so a
 * second run writes nothing. Each write sets the two index attributes only, and only if the
 * number is still the one read (a member edited meanwhile was re-keyed by that edit). The scan
 * reads members' keys and numbers and prints nothing of them.
 */
export const backfillPhoneIndex = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<PhoneIndexBackfill> => {
  const counts: PhoneIndexBackfill = { members: 0, indexed: 0, alreadyIndexed: 0, changedMeanwhile: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: "#kind = :member AND attribute_exists(phone)",
        ProjectionExpression: "PK, SK, GSI1PK, GSI1SK, organisationId, id, phone",
        ExpressionAttributeNames: { "#kind": "kind" },
        ExpressionAttributeValues: { ":member": itemKind.member },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const { PK, SK, GSI1PK, GSI1SK, organisationId, id, phone } = item as Record<string, string>;
      counts.members++;
      const key = keys.memberPhone(organisationId!, id!, phone!);
      if (GSI1PK === key.GSI1PK && GSI1SK === key.GSI1SK) {
        counts.alreadyIndexed++;
        continue;
      }
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { PK, SK },
            UpdateExpression: "SET GSI1PK = :pk, GSI1SK = :sk",
            ConditionExpression: "phone = :phone",
            ExpressionAttributeValues: { ":pk": key.GSI1PK, ":sk": key.GSI1SK, ":phone": phone },
          }),
        );
        counts.indexed++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        counts.changedMeanwhile++;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return counts;
};
