// Writes functions/api/openapi.json, the document /api/v1/openapi.json serves, from every
// operation's definition; `--check` fails when the committed file is stale.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "./openapi-document.ts";
import { documentedOperations } from "./whole-api.ts";

export const openApiFile = fileURLToPath(new URL("./openapi.json", import.meta.url));

export const renderOpenApiDocument = (): string =>
  JSON.stringify(
    openApiDocument(documentedOperations(), {
      title: "Convene API",
      version: "1.0.0",
      description: "Sessions, members and groups of an umbrella organisation.",
    }),
    null,
    2,
  ) + "\n";

const main = async (check: boolean): Promise<void> => {
  const text = renderOpenApiDocument();
  if ((await readFile(openApiFile, "utf8").catch(() => undefined)) === text) return;
  if (!check) return writeFile(openApiFile, text);
  console.error("functions/api/openapi.json is stale. Run `npm run openapi` and commit it.");
  process.exit(1);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.includes("--check"));
