import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { readConfig } from "#infra/cdk/config.ts";
import { conveneStacks } from "#infra/cdk/stacks.ts";

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

/**
 * Synthesises both stacks offline with bundling skipped (aws:cdk:bundling-stacks = []), so a
 * template test takes well under a second and never runs esbuild or Docker.
 */
export const synth = (context: Record<string, unknown> = {}) => {
  const app = new App({ context: { "aws:cdk:bundling-stacks": [], ...context } });
  const config = readConfig(app.node);
  const stacks = conveneStacks(app, config);
  const stateful = Template.fromStack(stacks.stateful);
  const stateless = Template.fromStack(stacks.stateless);
  const resources = (t: Template) => t.toJSON().Resources as Resources;
  /** Resources of one type in the stateless stack, by logical id. */
  const ofType = (type: string) =>
    Object.fromEntries(Object.entries(resources(stateless)).filter(([, r]) => r.Type === type));
  return { app, config, stacks, stateful, stateless, ofType };
};

export type Synthesised = ReturnType<typeof synth>;

/**
 * The logical id (prefix) of the provider function CDK adds for AwsCustomResource (the
 * receipt rule set's activation): it runs at deployment only and is none of Convene's functions.
 */
export const customResourceProviderId = "AWS679f53fac002430cb0da5b7982bd2287";

/**
 * The logical id (prefix) of the provider function CDK adds for BucketDeployment (uploading the
 * dashboard): it too runs at deployment only.
 */
export const bucketDeploymentProviderId = "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C";

/** Convene's own functions (functionEntries()), by logical id: every Lambda function but the providers. */
export const conveneFunctions = (s: Synthesised) =>
  Object.entries(s.ofType("AWS::Lambda::Function")).filter(
    ([id]) => !id.startsWith(customResourceProviderId) && !id.startsWith(bucketDeploymentProviderId),
  );

/** The function names (convene-<stage>-<name>) by logical id. */
export const functionNamesById = (s: Synthesised): Record<string, string> =>
  Object.fromEntries(conveneFunctions(s).map(([id, r]) => [id, r.Properties!.FunctionName as string]));

/** The logical id inside a `{ "Fn::GetAtt": [id, attr] }` or `{ Ref: id }`. */
export const refId = (value: unknown): string | undefined => {
  const v = value as { Ref?: string; "Fn::GetAtt"?: [string, string] } | undefined;
  return v?.Ref ?? v?.["Fn::GetAtt"]?.[0];
};

/** Every statement of the policies attached to a role (by the role's logical id). */
export const statementsOfRole = (s: Synthesised, roleId: string) =>
  Object.values(s.ofType("AWS::IAM::Policy"))
    .filter((p) => (p.Properties!.Roles as unknown[]).some((r) => refId(r) === roleId))
    .flatMap(
      (p) =>
        (
          p.Properties!.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[];
          }
        ).Statement,
    )
    .map((st) => ({ ...st, Action: ([] as string[]).concat(st.Action) }));

/** A Convene function by name (its id and resource), its one rule and that rule's event pattern (throws unless exactly one), and its role's statements. */
export const routedFunction = (s: Synthesised, functionName: string) => {
  const [id, fn] = conveneFunctions(s).find(([, f]) => f.Properties!.FunctionName === functionName)!;
  const rules = Object.values(s.ofType("AWS::Events::Rule")).filter((rule) =>
    (rule.Properties!.Targets as { Arn: unknown }[]).some((target) => refId(target.Arn) === id),
  );
  if (rules.length !== 1) throw new Error(`${functionName} has ${rules.length} rules, not one`);
  return {
    id,
    fn,
    rule: rules[0]!,
    pattern: rules[0]!.Properties!.EventPattern as { source: string[]; "detail-type": string[] },
    statements: statementsOfRole(s, refId(fn.Properties!.Role)!),
  };
};

/** The operators' alarm topic's logical id (the stack has other SNS topics: SMS events). */
export const alarmTopicId = (s: Synthesised): string | undefined =>
  Object.entries(s.ofType("AWS::SNS::Topic")).find(([, t]) =>
    String(t.Properties!.TopicName).endsWith("-alarms"),
  )?.[0];
