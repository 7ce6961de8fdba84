import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
  type TableDescription,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { STATE_TABLE_INDEXES } from '../adapters/dynamodb/keys';

/** The local stack's state table. */
export const LOCAL_TABLE = 'afterchat-local-state';

/**
 * The state table as the local stack and integration tests create it. It mirrors the CDK
 * StateTable (lib/stateful-stack.ts: pk/sk strings, on-demand, the keys-only gsi1, gsi2 and gsi3
 * indexes); test/infra checks the CDK side.
 * dynalite cannot enable TTL, so expired event records simply stay until the data folder is cleared.
 */
export const ensureStateTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  if (await describeTable(client, rebuildBackupName(tableName))) {
    throw new Error(`A rebuild of the local table ${tableName} was interrupted. Run \`npm run backfill\` to finish it (nothing is lost: the data waits in ${rebuildBackupName(tableName)}).`);
  }
  const existing = await describeTable(client, tableName);
  if (existing) {
    const missing = missingIndexes(existing);
    if (missing.length > 0) {
      throw new Error(
        `The local table ${tableName} was created by an earlier release, without the ${missing.join(', ')} ` +
          `${missing.length === 1 ? 'index' : 'indexes'}, which dynalite can't add to an existing table. Stop the local stack and run ` +
          '`npm run backfill`: it rebuilds the table with every index and migrates the data (README, "Upgrading"). Or delete the local ' +
          'data folder (DATA_DIR, .local-data/dynamodb by default) and start again, or run with --memory.',
      );
    }
    return;
  }
  await createStateTable(client, tableName);
};

/** The indexes of the current layout a table lacks. */
export const missingIndexes = (table: TableDescription): string[] =>
  STATE_TABLE_INDEXES.map((index) => index.name).filter((name) => !table.GlobalSecondaryIndexes?.some((index) => index.IndexName === name));

const createStateTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        ...STATE_TABLE_INDEXES.flatMap((index) => [
          { AttributeName: index.pk, AttributeType: 'S' as const },
          { AttributeName: index.sk, AttributeType: 'S' as const },
        ]),
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: STATE_TABLE_INDEXES.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.pk, KeyType: 'HASH' as const },
          { AttributeName: index.sk, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' as const },
      })),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await untilActive(client, tableName);
};

/** Where a rebuild keeps the data while the table is recreated. */
export const rebuildBackupName = (tableName: string): string => `${tableName}--previous`;
const COPY_COMPLETE = { pk: { S: 'MIGRATION' }, sk: { S: 'table-copy-complete' } };

export interface RebuildProgress {
  step: 'copy-out' | 'recreate' | 'copy-back' | 'done';
  items: number;
}

/**
 * A local table without the current indexes, rebuilt with them: dynalite accepts UpdateTable's
 * index creation but never builds the index, so the items are copied out to `<table>--previous`,
 * the table is deleted and created anew, and the items copied back (as they are: the backfill then
 * rewrites their index attributes). Each step can be repeated, so a crash at any point is finished
 * by running it again: the table is deleted only once the copy is complete (marked in the copy),
 * and the copy is deleted only once everything is back. Returns false when nothing needed doing.
 */
export const rebuildStateTable = async (client: DynamoDBClient, tableName: string, onProgress?: (p: RebuildProgress) => void): Promise<boolean> => {
  const backup = rebuildBackupName(tableName);
  let existing = await describeTable(client, tableName);
  const copy = await describeTable(client, backup);
  if (!copy && (!existing || missingIndexes(existing).length === 0)) return false;

  if (!(copy && (await isCopyComplete(client, backup)))) {
    if (!existing) throw new Error(`Neither ${tableName} nor a complete copy of it exists: nothing to rebuild from.`);
    if (!copy) {
      await client.send(
        new CreateTableCommand({
          TableName: backup,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await untilActive(client, backup);
    }
    await copyItems(client, tableName, backup, (items) => onProgress?.({ step: 'copy-out', items }));
    await client.send(new PutItemCommand({ TableName: backup, Item: COPY_COMPLETE }));
  }

  if (existing && missingIndexes(existing).length > 0) {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
    await untilGone(client, tableName);
    existing = undefined;
  }
  if (!existing) {
    onProgress?.({ step: 'recreate', items: 0 });
    await createStateTable(client, tableName);
  }
  await copyItems(client, backup, tableName, (items) => onProgress?.({ step: 'copy-back', items }), (item) => item.sk?.S !== COPY_COMPLETE.sk.S || item.pk?.S !== COPY_COMPLETE.pk.S);
  await client.send(new DeleteTableCommand({ TableName: backup }));
  onProgress?.({ step: 'done', items: 0 });
  return true;
};

const isCopyComplete = async (client: DynamoDBClient, table: string): Promise<boolean> =>
  (await client.send(new GetItemCommand({ TableName: table, Key: COPY_COMPLETE, ConsistentRead: true }))).Item !== undefined;

type RawItem = NonNullable<ScanCommandOutput['Items']>[number];

/** Every item of `from` put into `to` as it is (puts are idempotent), 25 per batch. */
const copyItems = async (
  client: DynamoDBClient,
  from: string,
  to: string,
  onProgress: (items: number) => void,
  keep: (item: RawItem) => boolean = () => true,
): Promise<void> => {
  let copied = 0;
  let startKey: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: startKey, Limit: 500 }));
    const items = (page.Items ?? []).filter(keep);
    for (let i = 0; i < items.length; i += 25) {
      let pending: WriteRequest[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (pending && pending.length > 0) {
        const result: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [to]: pending } }));
        pending = result.UnprocessedItems?.[to];
      }
    }
    copied += items.length;
    onProgress(copied);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
};

export const describeTable = async (client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};

/**
 * DeleteTable answers while the table is still DELETING (dynalite drops it on a timer, DynamoDB
 * later still): a CreateTable of the same name before it is gone is refused ResourceInUseException.
 */
/**
 * CreateTable answers while the table is still CREATING (dynalite makes it ACTIVE on a timer, which a
 * busy process runs late), and a write to it then is refused ResourceNotFoundException.
 */
const untilActive = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if ((await describeTable(client, tableName))?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${tableName} was still being created after 12 s.`);
};

const untilGone = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if ((await describeTable(client, tableName)) === undefined) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${tableName} was still being deleted after 30 s: run the backfill again to resume.`);
};
