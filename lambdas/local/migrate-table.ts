import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BackfillOptions, type BackfillProgress, runBackfill } from '../adapters/dynamodb/backfill';
import { describeTable, missingIndexes, rebuildStateTable, type RebuildProgress } from './table';

export interface MigrateTableOptions extends Omit<BackfillOptions, 'tableName'> {
  tableName: string;
  /**
   * Rebuild a table that lacks indexes by copying it (dynalite only: it can't add an index to a
   * table). In AWS the deployment adds them (`cdk deploy -c stateTableIndexes=2`, then `cdk deploy`).
   */
  rebuild?: boolean;
  onRebuild?: (progress: RebuildProgress) => void;
}

export interface MigrateTableResult {
  /** The table was rebuilt with every index first. */
  rebuilt: boolean;
  /** Indexes the table still lacks: their attributes are written anyway and indexed once they exist. */
  missingIndexes: string[];
  progress: BackfillProgress;
}

/**
 * Brings a state table written by an earlier release to the current layout: rebuilds it with every
 * index where asked (local dynalite tables), then runs the index backfill (resuming an unfinished one).
 */
export const migrateTable = async (raw: DynamoDBClient, client: DynamoDBDocumentClient, options: MigrateTableOptions): Promise<MigrateTableResult> => {
  const { rebuild, onRebuild, ...backfill } = options;
  const rebuilt = rebuild === true ? await rebuildStateTable(raw, options.tableName, onRebuild) : false;
  const table = await describeTable(raw, options.tableName);
  if (!table) throw new Error(`No table ${options.tableName} here: nothing to migrate.`);
  const progress = await runBackfill(client, backfill);
  return { rebuilt, missingIndexes: missingIndexes(table), progress };
};
