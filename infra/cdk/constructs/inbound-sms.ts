import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import type { ConveneFunction } from "./convene-function.ts";
import type { DeadLetterQueue } from "./dead-letter-queue.ts";

export interface InboundSmsProps {
  namePrefix: string;
  /** The receive-sms function: it reads each text and runs the inbound SMS handler. */
  fn: ConveneFunction;
  /** Where a text goes that could not be handled: the routes' dead-letter queue. */
  deadLetters: DeadLetterQueue;
  /**
   * The key the topic is encrypted with: a customer-managed key already in the stack (the
   * alarms'), since each key costs a dollar a month and one may serve every topic.
   */
  key: kms.IKey;
}

/**
 * Receiving members' texts on AWS. End User Messaging SMS two-way messaging publishes each
 * inbound text to an SNS topic named in the phone number's two-way settings (set by hand after
 * deployment: docs/deploy.md, "Receive texts"); the receive-sms function is subscribed to it.
 *
 * The texts carry phone numbers and what members wrote, so the topic is encrypted under a
 * customer-managed key (the SMS service cannot publish under AWS's managed SNS key) and takes
 * TLS only. The SMS service may publish, and use the key, only for this account's numbers in this
 * region. SNS hands each text to Lambda's asynchronous queue (retrying for days if Lambda
 * refuses it); a text the function fails on three times (Lambda retries twice) is kept in the
 * routes' dead-letter queue, whose alarm watches it, and the function's errors raise the
 * account-wide FunctionErrors alarm. No subscription dead-letter queue: that queue's policy
 * admits EventBridge alone, and SNS's own retries to Lambda outlast any outage worth one.
 */
export class InboundSms extends Construct {
  readonly topic: sns.Topic;
  readonly subscription: sns.Subscription;

  constructor(scope: Construct, id: string, props: InboundSmsProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const { fn, deadLetters } = props;
    // Bound to this account and its SMS resources in this region (the confused deputy).
    const fromOurNumbers = {
      StringEquals: { "aws:SourceAccount": account },
      ArnLike: { "aws:SourceArn": `arn:${partition}:sms-voice:${region}:${account}:*` },
    };
    const smsService = new iam.ServicePrincipal("sms-voice.amazonaws.com");

    // The key's own policy says so (false: fail synthesis if the key cannot take a statement).
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowSmsServiceToEncryptInboundTexts",
        principals: [smsService],
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        resources: ["*"],
        conditions: fromOurNumbers,
      }),
      false,
    );
    this.topic = new sns.Topic(this, "Topic", {
      topicName: `${props.namePrefix}-inbound-sms`,
      displayName: "Convene inbound texts",
      masterKey: props.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "AllowSmsServiceToPublishInboundTexts",
        principals: [smsService],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: fromOurNumbers,
      }),
    );

    // SNS invokes the function asynchronously: Lambda retries twice, then keeps the failure
    // record (with the text) in the dead-letter queue.
    fn.function.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(deadLetters.queue),
    });
    // The subscription also lets SNS invoke the function, from this topic only.
    this.subscription = this.topic.addSubscription(new subscriptions.LambdaSubscription(fn.function));
  }
}
