import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * How cdk-nag names an IAM resource in a finding id: the resolved value with each Ref (and each
 * ${Name} of a Sub) written <Name> and each GetAtt <Resource.Attribute>. cdk-nag 3 acknowledges
 * a wildcard finding only by its exact id, and that id depends on whether the account is known
 * at synthesis (it is when the CLI has credentials), so ids are built from the same value the
 * policy holds.
 */
export const nagResourceName = (scope: IConstruct, value: string): string => {
  const part = (p: unknown): string => {
    if (typeof p === "string") return p;
    const o = p as {
      Ref?: string;
      "Fn::GetAtt"?: [string, string];
      "Fn::Join"?: [string, unknown[]];
      "Fn::Sub"?: unknown;
    };
    if (o.Ref) return `<${o.Ref}>`;
    // A CDK asset bucket's name: cdk-…-assets-${AWS::AccountId}-<region>.
    if (typeof o["Fn::Sub"] === "string") return o["Fn::Sub"].replace(/\$\{([^}]+)\}/g, "<$1>");
    if (o["Fn::GetAtt"]) return `<${o["Fn::GetAtt"].join(".")}>`;
    if (o["Fn::Join"]) return o["Fn::Join"][1].map(part).join(o["Fn::Join"][0]);
    throw new Error(`cannot name ${JSON.stringify(p)} as cdk-nag does`);
  };
  return part(Stack.of(scope).resolve(value));
};

/** Acknowledges AwsSolutions-IAM5 for exactly these wildcard resources of a role's policy, with why. */
export const acknowledgeWildcards = (
  role: IConstruct,
  resources: readonly string[],
  reason: string,
): void => {
  for (const resource of resources)
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(role, resource)}]`,
      reason,
    });
};
