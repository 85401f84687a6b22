// `npm run sms -- --from +447700900123 --text "STOP" [--reply-to <published message id>]`:
// texts the running local platform as a member would, through /api/local/sms/inbound on
// CONVENE_URL, which hands AWS's inbound payload to the same handler as the SNS topic does.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";

const url = process.env.CONVENE_URL ?? `http://127.0.0.1:${process.env.CONVENE_PORT ?? 3000}`;
const usage = 'usage: npm run sms -- --from +447700900123 --text "STOP" [--id <inboundMessageId>]';

try {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      text: { type: "string" },
      to: { type: "string", default: "+447700900000" },
      id: { type: "string" },
      "reply-to": { type: "string" },
    },
  });
  if (!values.from || values.text === undefined) throw new Error(usage);
  const response = await fetch(`${url}/api/local/sms/inbound`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      originationNumber: values.from,
      destinationNumber: values.to,
      messageBody: values.text,
      // Giving the same id again replays the text, as a redelivery by AWS would.
      inboundMessageId: values.id ?? randomUUID(),
      previousPublishedMessageId: values["reply-to"] ?? "",
    }),
  }).catch(() => {
    throw new Error(`Convene is not running at ${url} (start it with \`npm start\`).`);
  });
  const outcome = await response.text();
  if (!response.ok) throw new Error(`the text was refused (${response.status}): ${outcome}`);
  console.log(outcome);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
