import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { CampaignStatus, CampaignStore, StoredCampaign } from '../../ports/campaign-store';
import { type Campaign, CampaignSchema } from '../../schemas/campaign';
import { CAMPAIGNS_PK, campaignKey } from './keys';
import { isConditionFailure, queryPartition } from './requests';

/**
 * Campaign definitions under one partition, ordered by id. `status` mirrors `definition.status` at
 * the top level so conditions can test it; every write sets both.
 */
export class DynamoDbCampaignStore implements CampaignStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(campaign: Campaign, now: number, expectedVersion?: number): Promise<StoredCampaign | undefined> {
    try {
      if (expectedVersion === undefined) {
        const stored: StoredCampaign = { campaign, createdAt: now, updatedAt: now, version: 1 };
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...campaignKey(campaign.id), ...toItem(stored) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return stored;
      }
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignKey(campaign.id),
          UpdateExpression: 'SET #definition = :definition, #status = :status, updatedAt = :now, version = :next',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: {
            ':definition': campaign,
            ':status': campaign.status,
            ':now': now,
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async get(campaignId: string): Promise<StoredCampaign | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: campaignKey(campaignId), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async list(): Promise<StoredCampaign[]> {
    return (await queryPartition(this.client, this.tableName, CAMPAIGNS_PK)).map(fromItem);
  }

  async setStatus(
    campaignId: string,
    status: CampaignStatus,
    now: number,
    options: { from?: readonly CampaignStatus[]; ruleName?: string } = {},
  ): Promise<StoredCampaign | undefined> {
    const { from, ruleName } = options;
    // IN () is not an expression, and from no status there is no move.
    if (from?.length === 0) return undefined;
    const values: Record<string, unknown> = { ':status': status, ':now': now, ':one': 1 };
    const sets = ['#status = :status', '#definition.#status = :status', 'updatedAt = :now', 'version = version + :one'];
    const conditions = ['attribute_exists(pk)'];
    if (ruleName !== undefined) {
      values[':rule'] = ruleName;
      sets.push('ruleName = :rule');
    }
    if (from) {
      from.forEach((s, i) => (values[`:from${i}`] = s));
      conditions.push(`#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`);
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: campaignKey(campaignId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async delete(campaignId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: campaignKey(campaignId) }));
  }
}

/** Both are DynamoDB reserved words. */
const NAMES = { '#definition': 'definition', '#status': 'status' };

const toItem = (stored: StoredCampaign): Record<string, unknown> => ({
  entity: 'campaign',
  definition: stored.campaign,
  status: stored.campaign.status,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
  version: stored.version,
  ...(stored.ruleName === undefined ? {} : { ruleName: stored.ruleName }),
});

/** A definition stored by an older release may no longer parse: say which one, rather than skip it. */
const fromItem = (item: Record<string, unknown>): StoredCampaign => {
  const parsed = CampaignSchema.safeParse(item.definition);
  if (!parsed.success) throw new Error(`stored campaign ${String(item.sk)} no longer parses:\n${z.prettifyError(parsed.error)}`);
  return {
    campaign: parsed.data,
    createdAt: Number(item.createdAt),
    updatedAt: Number(item.updatedAt),
    version: Number(item.version),
    ...(typeof item.ruleName === 'string' ? { ruleName: item.ruleName } : {}),
  };
};
