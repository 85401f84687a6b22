import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as ses from "aws-cdk-lib/aws-ses";
import * as cr from "aws-cdk-lib/custom-resources";
import { Construct } from "constructs";
import { acknowledgeWildcards } from "../acknowledge.ts";
import type { ConveneFunction } from "./convene-function.ts";
import type { DeadLetterQueue } from "./dead-letter-queue.ts";

export interface InboundMailProps {
  namePrefix: string;
  /** The domain members reply to; the receipt rule takes mail for any address on it. */
  replyDomain: string;
  /** The receive-reply function: it reads the stored mail and runs the reply handler. */
  fn: ConveneFunction;
  /** Where a receipt goes that could not be handled: the routes' dead-letter queue. */
  deadLetters: DeadLetterQueue;
  /** How long raw mail is kept in the bucket (replies are handled within seconds). */
  retentionDays?: number;
  logRetentionDays: number;
}

/** The S3 action's key prefix; the key of a mail is this followed by SES's message id. */
export const inboundMailPrefix = "replies/";

/**
 * Receiving members' replies on AWS. An SES receipt rule for the reply
 * domain first stores the raw mail in an S3 bucket (S3 action), then invokes the receive-reply
 * function asynchronously (Lambda action, invocation type Event), which reads the object and
 * runs the same handler as the local SMTP server. CloudFormation cannot activate a receipt
 * rule set, so a custom resource calls SES's SetActiveReceiptRuleSet; an account and region
 * has one active rule set, so the last stage deployed to it is the one that receives.
 *
 * The bucket holds personal data for a short time only: encrypted, private, TLS only, objects
 * expire after `retentionDays`. SES may write only under the prefix, only for this account and
 * this rule; the function may only read under the prefix.
 */
export class InboundMail extends Construct {
  readonly bucket: s3.Bucket;
  readonly ruleSetName: string;
  readonly ruleName: string;
  readonly rule: ses.ReceiptRule;
  readonly deadLetters: DeadLetterQueue;
  readonly activation: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const { fn } = props;
    this.ruleSetName = `${props.namePrefix}-inbound`;
    this.ruleName = `${props.namePrefix}-replies`;
    const ruleArn = `arn:${partition}:ses:${region}:${account}:receipt-rule-set/${this.ruleSetName}:receipt-rule/${this.ruleName}`;

    this.bucket = new s3.Bucket(this, "Bucket", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: "expire-inbound-mail",
          expiration: Duration.days(props.retentionDays ?? 30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Like the user pool and the secret: replacing the stateless stack must not delete mail
      // that may still be waiting to be handled; the lifecycle rule empties it within the month.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "Raw inbound mail, kept 30 days: SES alone may write (bucket policy bound to this account and receipt rule) and the receive-reply function alone may read; public access is blocked and TLS enforced. Server access logs would need a second bucket, itself without access logs; CloudTrail S3 data events cover audit when needed.",
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowSesReceiptRuleToStoreMail",
        principals: [new iam.ServicePrincipal("ses.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [this.bucket.arnForObjects(`${inboundMailPrefix}*`)],
        conditions: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: { "aws:SourceArn": ruleArn },
        },
      }),
    );

    // The function: read the stored mail (GetObject also authorises the HEAD), and where it
    // is; a failed invocation is retried twice by Lambda, then kept in a dead-letter queue
    // (the mail itself stays in the bucket, so it can be handled again).
    const objects = this.bucket.arnForObjects(`${inboundMailPrefix}*`);
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: [objects] }),
    );
    acknowledgeWildcards(
      fn.role,
      [objects],
      "Each mail is stored under a key named by SES's message id, known only when it arrives; the wildcard is the inbound prefix of this one bucket, and the action is GetObject alone.",
    );
    fn.function.addEnvironment("INBOUND_MAIL_BUCKET", this.bucket.bucketName);
    fn.function.addEnvironment("INBOUND_MAIL_PREFIX", inboundMailPrefix);
    this.deadLetters = props.deadLetters;
    fn.function.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.deadLetters.queue),
    });
    const permission = new iam.ServicePrincipal("ses.amazonaws.com");
    fn.function.addPermission("AllowSesReceiptRule", {
      principal: permission,
      action: "lambda:InvokeFunction",
      sourceAccount: account,
      sourceArn: ruleArn,
    });

    const ruleSet = new ses.ReceiptRuleSet(this, "RuleSet", { receiptRuleSetName: this.ruleSetName });
    this.rule = new ses.ReceiptRule(this, "Replies", {
      ruleSet,
      receiptRuleName: this.ruleName,
      recipients: [props.replyDomain],
      enabled: true,
      scanEnabled: true,
      // Optional: a member's mail server without TLS must still be able to vote; DMARC,
      // the token and the From check decide trust, not the transport.
      tlsPolicy: ses.TlsPolicy.OPTIONAL,
      actions: [
        {
          bind: () => ({
            s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: inboundMailPrefix },
          }),
        },
        { bind: () => ({ lambdaAction: { functionArn: fn.function.functionArn, invocationType: "Event" } }) },
      ],
    });
    // SES checks that it may write and invoke when the rule is created.
    this.rule.node.addDependency(this.bucket.policy!);
    const invokePermission = fn.function.permissionsNode.tryFindChild("AllowSesReceiptRule");
    if (invokePermission) this.rule.node.addDependency(invokePermission);

    // Activation: CloudFormation has no resource for the active rule set. On delete the rule
    // set is deactivated first, since SES refuses to delete the active one.
    const activationRole = new iam.Role(this, "ActivationRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Activates the ${this.ruleSetName} receipt rule set`,
    });
    const activationLogs = new logs.LogGroup(this, "ActivationLogs", {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    activationLogs.grantWrite(activationRole);
    const activate: cr.AwsSdkCall = {
      service: "SES",
      action: "setActiveReceiptRuleSet",
      parameters: { RuleSetName: this.ruleSetName },
      physicalResourceId: cr.PhysicalResourceId.of(`${this.ruleSetName}-active`),
    };
    this.activation = new cr.AwsCustomResource(this, "ActivateRuleSet", {
      resourceType: "Custom::SesActiveReceiptRuleSet",
      onCreate: activate,
      onUpdate: activate,
      onDelete: { service: "SES", action: "setActiveReceiptRuleSet", parameters: {} },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ["ses:SetActiveReceiptRuleSet"], resources: ["*"] }),
      ]),
      role: activationRole,
      logGroup: activationLogs,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
    });
    this.activation.node.addDependency(this.rule);
    acknowledgeWildcards(
      this.activation,
      ["*"],
      "ses:SetActiveReceiptRuleSet supports no resource-level permissions (the SES service authorization reference lists no resource type for it); the role may call nothing else.",
    );
  }
}
