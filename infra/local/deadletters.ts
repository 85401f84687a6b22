// `npm run deadletters [-- redrive <id>]`: lists the running local platform's dead letters,
// or redrives one to the handler that failed it. Talks to /api/local on CONVENE_URL.
const url = process.env.CONVENE_URL ?? `http://127.0.0.1:${process.env.CONVENE_PORT ?? 3000}`;
const [command, id] = process.argv.slice(2);

interface DeadLetter {
  id: string;
  target: string;
  reason: string;
  attempts: number;
  failedAt: string;
  event: { "detail-type"?: string; type?: string };
}

const call = async (path: string, method = "GET") => {
  const response = await fetch(`${url}/api/local${path}`, { method }).catch(() => {
    throw new Error(`Convene is not running at ${url} (start it with \`npm start\`).`);
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

try {
  if (command === "redrive") {
    if (!id) throw new Error("usage: npm run deadletters -- redrive <id>");
    await call(`/dead-letters/${encodeURIComponent(id)}/redrive`, "POST");
    console.log(`Redriven ${id}.`);
  } else if (command === undefined || command === "list") {
    const { items } = (await call("/dead-letters")) as { items: DeadLetter[] };
    if (items.length === 0) console.log("No dead letters.");
    for (const l of items) {
      const type = l.event["detail-type"] ?? l.event.type ?? "?";
      console.log(`${l.id}  ${l.failedAt}  ${l.target}  ${type}  attempts=${l.attempts}\n    ${l.reason}`);
    }
  } else {
    throw new Error("usage: npm run deadletters [-- list | redrive <id>]");
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
