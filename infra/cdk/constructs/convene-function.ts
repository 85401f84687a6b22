import { spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { FunctionEntry } from "../function-entries.ts";
import { sendingLease, sendingLeaseVariable, sendsMessages } from "../sending-lease.ts";

export interface ConveneFunctionProps {
  /** The function and its entry (infra/cdk/function-entries.ts). */
  entry: FunctionEntry;
  /** Prefix of every name: convene-<stage>. */
  namePrefix: string;
  logRetentionDays: number;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  /** Reserved concurrency, where a function must not outrun what it calls (SES). */
  reservedConcurrentExecutions?: number;
  description?: string;
}

const bundleCli = fileURLToPath(new URL("../bundle-cli.ts", import.meta.url));

/**
 * Bundled by infra/cdk/bundling.ts, the same esbuild build the bundle-size test and the
 * benchmark measure. It runs locally (esbuild is a dev dependency), so synthesis needs neither
 * Docker nor the network; with bundling skipped (context aws:cdk:bundling-stacks = []), as the
 * template tests do, nothing is built and the asset hash is a placeholder.
 */
const bundledCode = (entry: FunctionEntry): lambda.Code =>
  lambda.Code.fromAsset(dirname(entry.entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry("convene-bundles-locally-only"),
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(process.execPath, ["--import", "tsx", bundleCli, entry.entry, outputDir], {
            stdio: ["ignore", "inherit", "inherit"],
          });
          if (run.status !== 0) throw new Error(`bundling ${entry.name} failed (exit ${run.status})`);
          return true;
        },
      },
    },
  });

/**
 * A Convene Lambda function with the house defaults: Node.js 24 on arm64, one minified ES
 * module with a source map (and source maps on in stack traces), its own log group with a
 * set retention, the Powertools environment (never logging events: they are personal data),
 * and a role of its own that starts with nothing but writing to that log group. Everything
 * else it may do is granted by whoever wires it, action by action. A function that sends
 * messages also gets its sending lease, derived from its timeout (infra/cdk/sending-lease.ts).
 */
export class ConveneFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ConveneFunctionProps) {
    super(scope, id);
    const functionName = `${props.namePrefix}-${props.entry.name}`;
    this.logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs ${functionName}`,
    });
    this.logGroup.grantWrite(this.role);
    const timeout = props.timeout ?? Duration.seconds(30);
    const lease: Record<string, string> = sendsMessages(props.entry.needs)
      ? { [sendingLeaseVariable]: String(sendingLease(functionName, timeout).toSeconds()) }
      : {};
    this.function = new lambda.Function(this, "Function", {
      functionName,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: "index.handler",
      code: bundledCode(props.entry),
      role: this.role,
      logGroup: this.logGroup,
      memorySize: props.memorySize ?? 256,
      timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: functionName,
        POWERTOOLS_LOG_LEVEL: "INFO",
        POWERTOOLS_LOGGER_LOG_EVENT: "false",
        ...lease,
        ...props.environment,
      },
    });
  }
}
