import { CfnOutput, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as kms from "aws-cdk-lib/aws-kms";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as ses from "aws-cdk-lib/aws-ses";
import * as smsvoice from "aws-cdk-lib/aws-smsvoice";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import { deliveryProblemTypes } from "#functions/record-delivery-problem/ses-event.ts";
import { permanentSmsFailures } from "#domain/sms-failure.ts";
import type { Route } from "#functions/routing.ts";
import { acknowledgeWildcards } from "../acknowledge.ts";
import type { DeadLetterQueue } from "./dead-letter-queue.ts";

export interface MessagingProps {
  namePrefix: string;
  sendingDomain: string;
  fromAddress: string;
  /** Convene's bus, where bounce and complaint events end up. */
  bus: events.IEventBus;
  /** The phone number, sender id or pool to send SMS from (id or ARN), if chosen yet. */
  smsOriginationIdentity?: string;
  /** Where a report that cannot be forwarded goes: the routes' dead-letter queue. */
  deadLetters: DeadLetterQueue;
  /** The customer-managed key the SMS delivery events' topic is encrypted under. */
  eventsKey: kms.IKey;
}

/**
 * Where SES's bounces and complaints go once forwarded to Convene's bus: the function that
 * marks the member's email undeliverable. Not a routing-table entry (they are SES's events,
 * not Convene's), but wired like one. The detail-types are the function's own, so what is
 * forwarded and what it reads cannot drift apart.
 */
export const deliveryProblemRoute = {
  target: "record-delivery-problem",
  pattern: { source: ["aws.ses"], "detail-type": [...deliveryProblemTypes] },
} as const satisfies Route;

/**
 * Email and SMS. SES: the sending domain as an identity with Easy DKIM, and a configuration
 * set that suppresses addresses that bounce or complain and publishes those events to
 * EventBridge; SES can publish only to the account's default bus, so a rule forwards them to
 * Convene's bus (where deliveryProblemRoute takes them). End User Messaging SMS: a
 * configuration set that publishes texts that failed for good to an SNS topic, and an opt-out list (the phone number or sender id itself is bought and
 * registered by hand: see docs/deploy.md).
 */
export class Messaging extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly configurationSetName: string;
  readonly identity: ses.EmailIdentity;
  readonly smsConfigurationSetName: string;
  readonly optOutListName: string;
  /** Where the SMS configuration set publishes texts that failed for good. */
  readonly smsDeliveryEvents: sns.Topic;
  private readonly props: MessagingProps;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    this.props = props;
    this.configurationSetName = `${props.namePrefix}-mail`;
    this.configurationSet = new ses.ConfigurationSet(this, "ConfigurationSet", {
      configurationSetName: this.configurationSetName,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    const defaultBus = events.EventBus.fromEventBusName(this, "DefaultBus", "default");
    this.configurationSet.addEventDestination("ToEventBridge", {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    this.identity = new ses.EmailIdentity(this, "SendingDomain", {
      identity: ses.Identity.domain(props.sendingDomain),
      configurationSet: this.configurationSet,
      dkimSigning: true,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
    });
    this.identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `CNAME to publish for ${props.sendingDomain} (Easy DKIM)`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });

    const forward = new events.Rule(this, "ForwardDeliveryProblems", {
      ruleName: `${props.namePrefix}-ses-delivery-problems`,
      description: "Carries SES bounces and complaints of Convene's mail from the default bus to Convene's",
      eventBus: defaultBus,
      eventPattern: {
        source: ["aws.ses"],
        detailType: [...deliveryProblemTypes],
        detail: { mail: { tags: { "ses:configuration-set": [this.configurationSetName] } } },
      },
    });
    // A report EventBridge could not forward is kept with the routes' dead letters; its
    // RULE_ARN attribute names this rule.
    forward.addTarget(
      new targets.EventBus(props.bus, { deadLetterQueue: props.deadLetters.forRule(forward) }),
    );

    this.smsConfigurationSetName = `${props.namePrefix}-sms`;
    this.optOutListName = `${props.namePrefix}-sms-opt-outs`;
    // End User Messaging SMS publishes delivery events to CloudWatch Logs, Data Firehose or SNS
    // (not EventBridge): SNS, which invokes a function. Only the permanent failures, which are
    // all Convene acts on. The records carry phone numbers, hence encryption, under a key of
    // ours (the service cannot publish under AWS's managed SNS key) which it may use.
    const smsService = new iam.ServicePrincipal("sms-voice.amazonaws.com", {
      conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
    });
    props.eventsKey.grant(smsService, "kms:Decrypt", "kms:GenerateDataKey*");
    this.smsDeliveryEvents = new sns.Topic(this, "SmsDeliveryEvents", {
      topicName: `${props.namePrefix}-sms-delivery-events`,
      masterKey: props.eventsKey,
      enforceSSL: true,
    });
    this.smsDeliveryEvents.grantPublish(smsService);
    new smsvoice.CfnConfigurationSet(this, "SmsConfigurationSet", {
      configurationSetName: this.smsConfigurationSetName,
      eventDestinations: [
        {
          eventDestinationName: "permanent-failures",
          enabled: true,
          matchingEventTypes: [...permanentSmsFailures],
          snsDestination: { topicArn: this.smsDeliveryEvents.topicArn },
        },
      ],
    });
    new smsvoice.CfnOptOutList(this, "SmsOptOutList", { optOutListName: this.optOutListName });
  }

  /**
   * The function that reads the SMS delivery events (record-delivery-problem). SNS invokes it
   * asynchronously, so its retries and on-failure destination keep an event it cannot apply.
   */
  deliverSmsEventsTo(fn: lambda.IFunction): void {
    this.smsDeliveryEvents.addSubscription(new subscriptions.LambdaSubscription(fn));
  }

  /** SendEmail through this identity and configuration set, from the configured address only. */
  grantSendEmail(role: iam.Role): void {
    const { account, region, partition } = Stack.of(this);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["ses:SendEmail"],
        resources: [
          `arn:${partition}:ses:${region}:${account}:identity/${this.props.sendingDomain}`,
          `arn:${partition}:ses:${region}:${account}:configuration-set/${this.configurationSetName}`,
        ],
        conditions: { StringEquals: { "ses:FromAddress": this.props.fromAddress } },
      }),
    );
  }

  /**
   * SendTextMessage with Convene's configuration set and opt-out list, from the chosen
   * origination identity when it is given as an ARN; otherwise from any of the account's
   * numbers, sender ids or pools in the region, which are bought after deployment.
   */
  grantSendSms(role: iam.Role): void {
    const { account, region, partition } = Stack.of(this);
    const arn = (resource: string) => `arn:${partition}:sms-voice:${region}:${account}:${resource}`;
    const origination = this.props.smsOriginationIdentity?.startsWith("arn:")
      ? [this.props.smsOriginationIdentity]
      : [arn("phone-number/*"), arn("sender-id/*"), arn("pool/*")];
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["sms-voice:SendTextMessage"],
        resources: [
          arn(`configuration-set/${this.smsConfigurationSetName}`),
          arn(`opt-out-list/${this.optOutListName}`),
          ...origination,
        ],
      }),
    );
    if (origination.length > 1)
      acknowledgeWildcards(
        role,
        origination,
        "The SMS phone number or sender id is bought and registered after deployment; until smsOriginationIdentity names its ARN, the function may send from any of the account's origination identities in this region, and only with Convene's configuration set and opt-out list.",
      );
  }
}
