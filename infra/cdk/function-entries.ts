import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { portNeeds, type FunctionName, type PortNeed } from "#functions/port-needs.ts";
import { routes } from "#functions/routing.ts";

export interface FunctionEntry {
  /** The function's folder under functions/, which names it everywhere. */
  name: FunctionName;
  /** Absolute path of its Lambda entry module (exports `handler`). */
  entry: string;
  /** The ports it is given: its environment and IAM grants follow from these. */
  needs: readonly PortNeed[];
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Every Lambda function and its entry: one per routing-table target, the API and its series'
 * part, the outbox relay of the pipe, the inbound reply handler (invoked by SES's receipt rule), the
 * inbound SMS handler (invoked by the two-way SMS topic), and the handler of SES's bounce and
 * complaint reports. Read by the CDK app, the bundle-size test
 * and the benchmark.
 */
export const functionEntries = (): FunctionEntry[] => {
  const names: FunctionName[] = [
    ...new Set(routes.map((r) => r.target)),
    "api",
    "planning-api",
    "calendar-feeds",
    "outbox-relay",
    "receive-reply",
    "receive-sms",
    "record-delivery-problem",
  ];
  return names.map((name) => {
    const needs = (portNeeds as Partial<Record<string, readonly PortNeed[]>>)[name];
    const entry = `${repoRoot}functions/${name}/index.ts`;
    // A route added to the table needs its wiring before it can deploy; say what is missing.
    if (!needs)
      throw new Error(
        `route target ${name} has no ports in functions/port-needs.ts: add its needs there and, if it uses the store, its table actions to infra/cdk/table-access.ts`,
      );
    if (!existsSync(entry))
      throw new Error(
        `route target ${name} has no Lambda entry at functions/${name}/index.ts (see functions/plan-session-reminders/index.ts)`,
      );
    return { name, entry, needs };
  });
};
