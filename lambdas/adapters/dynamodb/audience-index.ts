import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AudienceIndex, AudiencePage, AudienceQuery } from '../../ports/audience-index';
import { indexPage } from './index-page';
import { audiencePk } from './keys';

/** Audiences from the `gsi1` index: the contact state, opt-in and tag items of keys.ts. */
export class DynamoDbAudienceIndex implements AudienceIndex {
  readonly shards = 1;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(query: AudienceQuery, cursor: string | undefined, limit: number): Promise<AudiencePage> {
    const { values, ...next } = await indexPage(this.client, this.tableName, audiencePk(query), cursor, limit);
    // Two opt-in tokens for one topic put a contact in the topic's partition twice, side by side.
    return { userIds: [...new Set(values)], ...next };
  }
}
