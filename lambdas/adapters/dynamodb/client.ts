import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** `endpoint` points at dynalite locally; in Lambda it is left unset. */
export const documentClient = (options: { endpoint?: string; region?: string } = {}): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: options.endpoint, region: options.region }), {
    marshallOptions: { removeUndefinedValues: true },
  });
