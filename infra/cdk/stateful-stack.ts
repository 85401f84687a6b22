import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { tableDefinition } from "#adapters/aws/dynamodb/table.ts";
import { prefix, type ConveneConfig } from "./config.ts";

export interface StatefulStackProps extends StackProps {
  config: ConveneConfig;
}

const attribute = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * What must outlive every deployment: the single table, with the keys and index of
 * shared/adapters/aws/dynamodb/table.ts (the local runtime creates the same). On demand,
 * encrypted with a KMS key, point-in-time recovery, TTL, deletion protection, and a stream of
 * new images for the pipe that carries outbox records to the bus. Retained if the stack goes.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.table = new dynamodb.Table(this, "Table", {
      tableName: prefix(props.config),
      partitionKey: attribute(tableDefinition.partitionKey),
      sortKey: attribute(tableDefinition.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: tableDefinition.gsi1.name,
      partitionKey: attribute(tableDefinition.gsi1.partitionKey),
      sortKey: attribute(tableDefinition.gsi1.sortKey),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
