// The CDK app (cdk.json runs it with tsx): two stacks per stage, validated on every synthesis
// by cdk-nag's AWS Solutions rules; an unacknowledged finding stops synthesis.
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { readConfig } from "./config.ts";
import { conveneStacks } from "./stacks.ts";

const app = new App();
conveneStacks(app, readConfig(app.node));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
