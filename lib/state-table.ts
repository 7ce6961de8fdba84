import type { Node } from 'constructs';

/**
 * The state table's global indexes, in the order deployments add them (keys.ts in lambdas/adapters/
 * dynamodb documents every key; the names are repeated here because infrastructure code doesn't
 * import runtime code):
 * - `gsi1`: dispatch listings — audiences (all / topic / tag, write-sharded) and an occurrence's sends;
 * - `gsi2`: local-time zone buckets, and a person's items outside the contact partition (sends by
 *   contact newest first, message statuses, events; erasure finds a person through it);
 * - `gsi3`: pending work by due time (sparse): queued and claimed jobs, running occurrences.
 */
export const STATE_TABLE_INDEXES = ['gsi1', 'gsi2', 'gsi3'] as const;
export type StateTableIndex = (typeof STATE_TABLE_INDEXES)[number];

/**
 * CDK context value: how many of the indexes the table has. CloudFormation adds (or removes) one
 * global index per stack update, so a table deployed with gsi1 only reaches three in two deploys:
 * `cdk deploy -c stateTableIndexes=2`, then `cdk deploy`. New tables get all three at once.
 */
export const STATE_TABLE_INDEXES_CONTEXT = 'stateTableIndexes';

/** The indexes the stack declares, from the context value (default: all). */
export function stateTableIndexes(node: Node): readonly StateTableIndex[] {
  const raw: unknown = node.tryGetContext(STATE_TABLE_INDEXES_CONTEXT);
  const count = raw === undefined ? STATE_TABLE_INDEXES.length : Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > STATE_TABLE_INDEXES.length) {
    throw new Error(
      `Context "${STATE_TABLE_INDEXES_CONTEXT}" must be an integer from 1 to ${STATE_TABLE_INDEXES.length} (got ${String(raw)}): ` +
        'the number of state table indexes to deploy; CloudFormation adds one per update.',
    );
  }
  return STATE_TABLE_INDEXES.slice(0, count);
}

// Grants on the table are per function, from STATE_TABLE_ACCESS in lib/constructs/function-access.ts.
