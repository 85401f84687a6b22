// The deployed settings the scale model runs on, read from the synthesised template (offline,
// bundling skipped, as the infra tests do) rather than repeated here: each function's timeout,
// memory and reserved concurrency, its asynchronous retries and event age, the queue and event
// source mapping that feed it, and the sending pace its environment gives it.

import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { readConfig, type ConveneConfig } from "#infra/cdk/config.ts";
import { conveneStacks } from "#infra/cdk/stacks.ts";

type Resource = { Type: string; Properties?: Record<string, unknown> };

/** How events reach a function: Lambda's asynchronous queue, or an SQS queue it polls. */
export type Delivery =
  | {
      kind: "async";
      /** Function errors retried (MaximumRetryAttempts). */
      retries: number;
      maxEventAgeSeconds: number;
      /** Reserved concurrency; undefined draws on the account's unreserved pool. */
      reservedConcurrency: number | undefined;
    }
  | {
      kind: "queue";
      maximumConcurrency: number;
      batchSize: number;
      visibilityTimeoutSeconds: number;
      maxReceiveCount: number;
      retentionSeconds: number;
    };

export interface DeployedFunction {
  name: string;
  timeoutSeconds: number;
  memoryMb: number;
  delivery: Delivery;
  /** Emails a second one instance may send (CONVENE_SEND_RATE); undefined: not paced. */
  sendRatePerInstance: number | undefined;
  /** How long the sending lease holds (CONVENE_SENDING_LEASE_SECONDS). */
  sendingLeaseSeconds: number | undefined;
}

export interface Deployed {
  config: ConveneConfig;
  /** Reserved concurrency summed over every function: the rest of the account's pool is shared. */
  reservedTotal: number;
  functions: Record<string, DeployedFunction>;
}

const refId = (value: unknown): string | undefined => {
  const v = value as { Ref?: string; "Fn::GetAtt"?: [string, string] } | undefined;
  return v?.Ref ?? v?.["Fn::GetAtt"]?.[0];
};

/** Synthesises the stages' stacks with this context and reads what the model needs. */
export const readDeployed = (context: Record<string, unknown> = {}): Deployed => {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [], ...context } });
  const config = readConfig(app.node);
  const { stateless } = conveneStacks(app, config);
  const resources = (Template.fromStack(stateless).toJSON() as { Resources: Record<string, Resource> })
    .Resources;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const prefix = `convene-${config.stage}-`;

  const functions: Record<string, DeployedFunction> = {};
  let reservedTotal = 0;
  for (const [id, fn] of ofType("AWS::Lambda::Function")) {
    const p = fn.Properties!;
    const fullName = p.FunctionName;
    if (typeof fullName !== "string" || !fullName.startsWith(prefix)) continue;
    const reserved = p.ReservedConcurrentExecutions as number | undefined;
    reservedTotal += reserved ?? 0;
    const env = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const mapping = ofType("AWS::Lambda::EventSourceMapping").find(
      ([, m]) => refId(m.Properties!.FunctionName) === id,
    );
    const invokeConfig = ofType("AWS::Lambda::EventInvokeConfig").find(
      ([, c]) => refId(c.Properties!.FunctionName) === id,
    );
    let delivery: Delivery;
    if (mapping) {
      const m = mapping[1].Properties!;
      const queue = resources[refId(m.EventSourceArn)!]?.Properties ?? {};
      const redrive = queue.RedrivePolicy as { maxReceiveCount?: number } | undefined;
      delivery = {
        kind: "queue",
        maximumConcurrency:
          (m.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ?? 1000,
        batchSize: (m.BatchSize as number | undefined) ?? 10,
        visibilityTimeoutSeconds: (queue.VisibilityTimeout as number | undefined) ?? 30,
        maxReceiveCount: redrive?.maxReceiveCount ?? Number.POSITIVE_INFINITY,
        retentionSeconds: (queue.MessageRetentionPeriod as number | undefined) ?? 4 * 86400,
      };
    } else {
      const c = invokeConfig?.[1].Properties ?? {};
      delivery = {
        kind: "async",
        retries: (c.MaximumRetryAttempts as number | undefined) ?? 2,
        maxEventAgeSeconds: (c.MaximumEventAgeInSeconds as number | undefined) ?? 6 * 3600,
        reservedConcurrency: reserved,
      };
    }
    const numberOf = (name: string) => (env[name] === undefined ? undefined : Number(env[name]));
    const name = fullName.slice(prefix.length);
    functions[name] = {
      name,
      timeoutSeconds: (p.Timeout as number | undefined) ?? 3,
      memoryMb: (p.MemorySize as number | undefined) ?? 128,
      delivery,
      sendRatePerInstance: numberOf("CONVENE_SEND_RATE"),
      sendingLeaseSeconds: numberOf("CONVENE_SENDING_LEASE_SECONDS"),
    };
  }
  return { config, reservedTotal, functions };
};
