// `npx tsx infra/admin/backfill-phone-index.ts --table <TableName> [--region <region>]
// [--endpoint <url>]`: gives members written before the phone-number index existed their key
// in it, so their texts (STOP above all) find them. Safe to run again: a second run writes
// nothing. Uses the AWS credentials of the shell (DynamoDB Scan and UpdateItem on the table);
// --endpoint points it at DynamoDB Local. Prints counts only.
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { backfillPhoneIndex } from "./phone-index-backfill.ts";

const usage =
  "usage: npx tsx infra/admin/backfill-phone-index.ts --table <TableName> [--region <region>] [--endpoint <url>]";

try {
  const { values } = parseArgs({
    options: {
      table: { type: "string" },
      region: { type: "string" },
      endpoint: { type: "string" },
    },
  });
  if (!values.table) throw new Error(usage);
  const client = new DynamoDBClient({
    ...(values.region ? { region: values.region } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
  });
  const counts = await backfillPhoneIndex(DynamoDBDocumentClient.from(client), values.table);
  console.log(JSON.stringify(counts));
  client.destroy();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
