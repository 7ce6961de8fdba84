import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { AUDIENCE_INDEX } from '../adapters/dynamodb/keys';

/**
 * The state table as the local stack and integration tests create it. It mirrors the CDK
 * StateTable (lib/stateful-stack.ts: pk/sk strings, on-demand, the keys-only `gsi1` index);
 * test/infra checks the CDK side.
 * dynalite cannot enable TTL, so expired event records simply stay until the data folder is cleared.
 */
export const ensureStateTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  const existing = await describeTable(client, tableName);
  if (existing) {
    // dynalite accepts UpdateTable's GlobalSecondaryIndexUpdates but never builds the index, and
    // items written before would be missing from it anyway: the data has to start over.
    if (!existing.GlobalSecondaryIndexes?.some((index) => index.IndexName === AUDIENCE_INDEX)) {
      throw new Error(
        `The local table ${tableName} was created before the ${AUDIENCE_INDEX} audience index, which dynalite can't add to an ` +
          'existing table. Delete the local data folder (DATA_DIR, .local-data/dynamodb by default) and start again, or run with --memory.',
      );
    }
    return;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: AUDIENCE_INDEX,
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
};

const describeTable = async (client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};
