// `npm run replay -- --from <ISO time> --to <ISO time>`: re-delivers the events the running
// local platform's bus received in that range, as an EventBridge archive replay does, and
// returns once every handler it caused has finished. Talks to /api/local on CONVENE_URL.
import { parseArgs } from "node:util";

const url = process.env.CONVENE_URL ?? `http://127.0.0.1:${process.env.CONVENE_PORT ?? 3000}`;
const usage = "usage: npm run replay -- --from 2026-12-01T00:00:00Z --to 2026-12-08T00:00:00Z";

try {
  const { values } = parseArgs({ options: { from: { type: "string" }, to: { type: "string" } } });
  if (!values.from || !values.to) throw new Error(usage);
  const response = await fetch(`${url}/api/local/replay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: values.from, to: values.to }),
  }).catch(() => {
    throw new Error(`Convene is not running at ${url} (start it with \`npm start\`).`);
  });
  if (!response.ok) throw new Error(`the replay was refused (${response.status}): ${await response.text()}`);
  const { replayName, events } = (await response.json()) as { replayName: string; events: number };
  console.log(`${replayName}: ${events} event${events === 1 ? "" : "s"} re-delivered.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
