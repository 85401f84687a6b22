// Writes events/json-schema/<Type>.json from the zod catalogue; `--check` fails when stale.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import * as z from "#validation/zod-mini.ts";
import { eventCatalogue } from "./catalogue.ts";

const outDir = fileURLToPath(new URL("./json-schema/", import.meta.url));

export const renderJsonSchemas = (): Map<string, string> =>
  new Map(
    Object.entries(eventCatalogue).map(([type, schema]) => [
      `${type}.json`,
      JSON.stringify(
        { $id: `https://convene.example/events/${type}.json`, title: type, ...z.toJSONSchema(schema) },
        null,
        2,
      ) + "\n",
    ]),
  );

const main = async (check: boolean): Promise<void> => {
  await mkdir(outDir, { recursive: true });
  const stale: string[] = [];
  for (const [file, text] of renderJsonSchemas()) {
    const existing = await readFile(outDir + file, "utf8").catch(() => undefined);
    if (existing === text) continue;
    if (check) stale.push(file);
    else await writeFile(outDir + file, text);
  }
  if (stale.length > 0) {
    console.error(`Stale event JSON Schemas: ${stale.join(", ")}. Run \`npm run schemas\` and commit.`);
    process.exit(1);
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.includes("--check"));
