import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AudienceIndex, AudiencePage, AudienceQuery } from '../../ports/audience-index';
import { indexPage } from './index-page';
import { audienceIndexOf, audiencePartitions } from './keys';
import { SHARDS } from './shards';

/**
 * Audiences from the index entries of keys.ts: `gsi1` for an account's contacts, a topic's opt-ins
 * and a tag's holders; `gsi2` for the local-time zone buckets. Every audience is written over
 * `SHARDS` keys: a page reads the query's shard, or walks all of them behind one cursor.
 */
export class DynamoDbAudienceIndex implements AudienceIndex {
  readonly shards = SHARDS;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(query: AudienceQuery, cursor: string | undefined, limit: number): Promise<AudiencePage> {
    // Listing the account's contacts instead would send a follow-up to everyone.
    if (query.followUp !== undefined) throw new Error('a follow-up audience is read from its occurrence’s outbox group (pageAudience), not the audience index');
    const listing = { index: audienceIndexOf(query.segment), partitions: audiencePartitions(query) };
    const { entries, ...next } = await indexPage(this.client, this.tableName, listing, cursor, limit);
    // Two opt-in tokens for one topic put a contact in the topic's partition twice, side by side.
    return { userIds: [...new Set(entries.map((entry) => entry[listing.index.sk] as string))], ...next };
  }
}
