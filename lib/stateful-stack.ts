import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { StageConfig } from './config';
import { MetaSecrets } from './constructs/meta-secrets';
import { stateTableIndexes } from './state-table';

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Everything that holds data we cannot recreate: the state table and the operator-entered Meta
 * secrets. Kept apart from the stateless stack so that one can be destroyed and redeployed freely.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly metaSecrets: MetaSecrets;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: true });

    // Constructed directly in the stack: moving it into a construct would change its logical ID
    // and replace the table.
    this.table = new TableV2(this, 'StateTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.awsManagedKey(),
      timeToLiveAttribute: 'expiresAt',
      // Both images: the funnel's stream consumer counts a status flag a write set, from the record
      // before and after it (lib/constructs/funnel-stream.ts). Lambda's reads of it are free.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      // Keys only: readers fetch the items they need from the base table by key, so an index does
      // not double the storage and write cost of every contact and outbox item. gsi1: dispatch
      // listings; gsi2: zone buckets and a person's items; gsi3: pending work (lib/state-table.ts).
      // CloudFormation adds one index per update: the `stateTableIndexes` context steps an existing
      // table up (README, "Upgrading").
      globalSecondaryIndexes: stateTableIndexes(this.node).map((indexName) => ({
        indexName,
        partitionKey: { name: `${indexName}pk`, type: AttributeType.STRING },
        sortKey: { name: `${indexName}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.KEYS_ONLY,
      })),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.metaSecrets = new MetaSecrets(this, 'MetaSecrets', { stage: props.config.stage });
  }
}
