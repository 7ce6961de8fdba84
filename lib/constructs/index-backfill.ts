import { CfnOutput, Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';
import { grantTableAccess, STATE_TABLE_ACCESS } from './function-access';
import { NodeFunction } from './node-function';

export interface IndexBackfillProps {
  /** Absolute path of the backfill handler file; it must export `handler`. */
  readonly entry: string;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly table: ITableV2;
}

/**
 * The one-off index backfill after an upgrade: a function nothing triggers, invoked by hand
 * (`aws lambda invoke`, README "Upgrading") until it answers done. It may Scan the table and
 * UpdateItem in it, nothing else: no item reads, puts or deletes, no index, no other resource.
 */
export class IndexBackfill extends Construct {
  readonly function: NodeFunction;

  constructor(scope: Construct, id: string, props: IndexBackfillProps) {
    super(scope, id);
    this.function = new NodeFunction(this, 'Function', {
      entry: props.entry,
      description: 'One-off: rewrites the index attributes of items written by an earlier release (resumable; invoke until done)',
      serviceName: 'index-backfill',
      // The longest Lambda allows: each invocation stops, checkpointed, 90 s before it.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      environment: { TABLE_NAME: props.table.tableName },
    });
    grantTableAccess(props.table, this.function.function, STATE_TABLE_ACCESS.backfill);

    new CfnOutput(this, 'BackfillFunctionName', {
      description: "After an upgrade: aws lambda invoke --function-name <this> --cli-binary-format raw-in-base64-out --payload '{}' out.json, until out.json says \"done\": true",
      value: this.function.function.functionName,
    });
  }
}
