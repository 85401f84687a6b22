import type { App } from "aws-cdk-lib";
import type { ConveneConfig } from "./config.ts";
import { StatefulStack } from "./stateful-stack.ts";
import { StatelessStack } from "./stateless-stack.ts";

/** Both stacks of one stage; the stateless one reads the table from the stateful one. */
export const conveneStacks = (app: App, config: ConveneConfig) => {
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: config.region };
  const name = `Convene-${config.stage}`;
  const stateful = new StatefulStack(app, `${name}-Stateful`, {
    env,
    config,
    description: "Convene: the single table (retained)",
    terminationProtection: config.stage === "prod",
  });
  const stateless = new StatelessStack(app, `${name}-Stateless`, {
    env,
    config,
    table: stateful.table,
    description: "Convene: bus, pipe, functions, scheduler, messaging, API, dashboard, alarms",
  });
  return { stateful, stateless };
};
