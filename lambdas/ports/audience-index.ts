import type { FollowUpState } from '../domain/campaign/follow-up-state';
import type { Channel } from '../domain/events';

/**
 * Which index partition an audience is read from: every contact of an account, the contacts holding
 * an opt-in token for a topic (Messenger/Instagram), or the contacts carrying a tag.
 */
export type AudienceSegment =
  | { kind: 'all' }
  | { kind: 'topic'; topic: string }
  | { kind: 'tag'; tag: string }
  /** Contacts whose own time zone is `zone`: their profile's, else `ACCOUNT_ZONE` (the account's). */
  | { kind: 'zone'; zone: string }
  /** Holders of a topic's opt-in that carries its own time zone `zone` (it wins over the contact's). */
  | { kind: 'topic_zone'; topic: string; zone: string };

/** The zone bucket of contacts with no time zone of their own: they follow the account's. */
export const ACCOUNT_ZONE = '_account';

export interface AudienceQuery {
  channel: Channel;
  accountId: string;
  segment: AudienceSegment;
  /**
   * One write shard of the partition (0 to `shards` - 1): a dispatcher reads each shard in its own
   * segment. Absent: every shard, one after the other, behind one cursor.
   */
  shard?: number;
  /**
   * A follow-up campaign's audience: the recipients of this occurrence in this funnel state, read
   * from its outbox group (lambdas/campaign/follow-up-audience.ts), never from the index.
   */
  followUp?: { campaignId: string; occurrenceKey: string; state: FollowUpState };
}

export interface AudiencePage {
  /** User ids as stored (a WhatsApp person may appear under wa_id and under BSUID). */
  userIds: string[];
  /** Pass back to read the next page; absent on the last page. Opaque. */
  cursor?: string;
}

/** Reads an audience from the index in pages: never a table scan. */
export interface AudienceIndex {
  /** How many write shards every audience partition is spread over, so no key is hot (absent: 1). */
  readonly shards?: number;
  page(query: AudienceQuery, cursor: string | undefined, limit: number): Promise<AudiencePage>;
}
