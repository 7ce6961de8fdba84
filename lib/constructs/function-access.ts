import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { DestinationConfig, IDestination, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StateTableIndex } from '../state-table';

/** The DynamoDB item APIs the adapters in lambdas/adapters/dynamodb call; nothing administrative. */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem' | 'Scan';

export interface TableAccess {
  /** Actions on the table's own items (resource: the table ARN, never `index/*`). */
  readonly items: readonly TableAction[];
  /** Indexes the function queries, with Query alone (resource: `table/index/<name>`). */
  readonly indexes?: readonly StateTableIndex[];
}

/**
 * What each function's code does to the state table, from the adapter calls it can reach
 * (lambdas/handlers/<function> → lambdas/adapters/dynamodb). One row per function: a new function
 * gets a row here and one in test/infra/least-privilege.test.ts, which pins the synthesised roles.
 * BatchWriteItem covers the puts and deletes inside a batch; SendMessage covers SendMessageBatch.
 */
export const STATE_TABLE_ACCESS = {
  // knownEvents (BatchGetItem), apply (UpdateItem, GetItem on a refused write), recordEvents
  // (BatchWriteItem), the account list (Query on its partition), a failed template's outbox record (GetItem);
  // a tapped button's or a Marketing Message click's send among the person's recent sends (gsi2, BatchGetItem).
  webhook: { items: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'BatchWriteItem'], indexes: ['gsi2'] },
  // The outbox claim and transitions (UpdateItem, GetItem), the contact and account state (Query,
  // GetItem), send feedback (UpdateItem), the shared limiter's slots and seats (UpdateItem, GetItem,
  // BatchGetItem, BatchWriteItem). It creates no record and deletes none.
  sender: { items: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'BatchWriteItem'] },
  // Campaigns and occurrences (GetItem, Query, PutItem, UpdateItem), outbox records (PutItem), the
  // marketing ledger (UpdateItem); audiences on gsi1, local-time zone buckets on gsi2. No deletes.
  dispatcher: { items: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], indexes: ['gsi1', 'gsi2'] },
  // Every route: accounts (PutItem, DeleteItem) and their automation configuration (PutItem), campaigns
  // (DeleteItem), profiles and their tag entries (BatchWriteItem), a funnel's outbox records
  // (BatchGetItem); audiences and an occurrence's sends on gsi1, zone buckets and a contact's sends on
  // gsi2. Never Scan.
  admin: {
    items: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    indexes: ['gsi1', 'gsi2'],
  },
  // The account list (Query), each account's templates (Query) and their register writes (UpdateItem, GetItem).
  templateSync: { items: ['GetItem', 'Query', 'UpdateItem'] },
  // Pending work through gsi3 (never a scan); jobs and occurrences by key (GetItem, BatchGetItem),
  // an occurrence's segments (Query), their transitions (UpdateItem). It creates and deletes nothing.
  sweeper: { items: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'], indexes: ['gsi3'] },
  // A contact's records (Query, GetItem), the keyword register (UpdateItem, GetItem on a refused
  // write), the policy engine's account and templates (GetItem, Query), the confirmation's outbox
  // record (PutItem, GetItem when it exists) and its usage item (PutItem); a reply's or STOP's funnel
  // milestone: the person's recent sends (gsi2 Query, BatchGetItem), the counter and the record's flag
  // (UpdateItem). It deletes nothing.
  automation: { items: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], indexes: ['gsi2'] },
  // Meta's data deletion callback: the account list and a person's partitions (Query, GetItem), the
  // person index on gsi2, deletes (DeleteItem, BatchWriteItem), tombstones (UpdateItem) and the
  // request's record (PutItem). Never Scan.
  dataDeletion: { items: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'], indexes: ['gsi2'] },
  // The import worker: a job and its chunks (GetItem, Query), the cursor's conditional advance
  // (UpdateItem), row outcomes and errors (PutItem, BatchWriteItem), dropping a completed job's chunks
  // (BatchWriteItem); contacts in batches (BatchGetItem, Query), their profiles, tag entries and
  // consent registers (UpdateItem, BatchWriteItem), tombstones and account policy (GetItem). No index, no Scan.
  importWorker: { items: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'] },
  // The conversion handler: customer key lookups (Query), the person's latest touch (their sends on
  // gsi2, the outbox records by BatchGetItem), the conversion's conditional put (PutItem; GetItem when
  // it exists), the unattributed day's counter and the funnel's milestone and counters (UpdateItem,
  // GetItem on the outbox record). No deletes, no Scan.
  conversions: { items: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'], indexes: ['gsi2'] },
  // The tracking-link redirect: the outbox record (GetItem), the funnel's milestone and counters and
  // the click item (UpdateItem). No index, no deletes, no Scan.
  redirect: { items: ['GetItem', 'UpdateItem'] },
  // The funnel's stream consumer: its counter items (UpdateItem; GetItem when a refused write came back
  // without the item). The stream's own reads are the event source's grant. No index, no Scan.
  funnelStream: { items: ['GetItem', 'UpdateItem'] },
  // The one-off backfill walks the table (its only legitimate Scan) and rewrites index attributes.
  backfill: { items: ['Scan', 'UpdateItem'] },
} as const satisfies Record<string, TableAccess>;

export type StateTableUser = keyof typeof STATE_TABLE_ACCESS;

/** Grants exactly `access` on the state table: one statement for items, one for the indexes. */
export function grantTableAccess(table: ITableV2, grantee: IGrantable, access: TableAccess): void {
  if (access.items.length > 0) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...new Set(access.items)].map((a) => `dynamodb:${a}`), resources: [table.tableArn] }),
    );
  }
  const indexes = access.indexes ?? [];
  if (indexes.length > 0) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes.map((index) => `${table.tableArn}/index/${index}`) }),
    );
  }
}

/**
 * `sqs:SendMessage` alone (it covers SendMessageBatch): the queue's own `grantSendMessages` adds
 * GetQueueAttributes and GetQueueUrl, which no adapter calls (the URLs come from the environment).
 */
export function grantSendTo(grantee: IGrantable, ...queues: IQueue[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: queues.map((q) => q.queueArn) }));
}

/** Receive and delete, for code that drains a queue itself (not through an event source). */
export function grantReceiveFrom(grantee: IGrantable, ...queues: IQueue[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resources: queues.map((q) => q.queueArn) }),
  );
}

/**
 * `secretsmanager:GetSecretValue` alone (Powertools' getSecret); the secret's `grantRead` adds
 * DescribeSecret, which no code calls.
 */
export function grantSecretValue(grantee: IGrantable, ...secrets: ISecret[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: secrets.map((s) => s.secretArn) }),
  );
}

/**
 * `GetSecretValue` on every access-token secret of the stage: operators add one secret per Page or
 * WhatsApp number under the prefix without redeploying, so the ARNs (which Secrets Manager ends in
 * a random suffix) are unknown at synth time; the trailing wildcard is acknowledged with `why`.
 */
export function grantTokenSecrets(fn: IFunction, prefix: string, why: string): void {
  const tokenSecretsArn = Stack.of(fn).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [tokenSecretsArn] }));
  Validations.of(fn.role!).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${prefix}*]`,
    reason: `${why} Operators add one token secret per account under "${prefix}" without redeploying, so their ARNs (which end in a random suffix) are unknown at synth time. The grant is GetSecretValue only and limited to this stage's token prefix.`,
  });
}

/**
 * An SQS on-failure destination for asynchronous invocations with `sqs:SendMessage` alone:
 * aws-lambda-destinations' SqsDestination grants GetQueueAttributes and GetQueueUrl as well.
 */
export function sqsFailureDestination(queue: IQueue): IDestination {
  return {
    bind(_scope: Construct, fn: IFunction): DestinationConfig {
      grantSendTo(fn, queue);
      return { destination: queue.queueArn };
    },
  };
}
