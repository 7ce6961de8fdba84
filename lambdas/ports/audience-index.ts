import type { Channel } from '../domain/events';

/**
 * Which index partition an audience is read from: every contact of an account, the contacts holding
 * an opt-in token for a topic (Messenger/Instagram), or the contacts carrying a tag.
 */
export type AudienceSegment = { kind: 'all' } | { kind: 'topic'; topic: string } | { kind: 'tag'; tag: string };

export interface AudienceQuery {
  channel: Channel;
  accountId: string;
  segment: AudienceSegment;
}

export interface AudiencePage {
  /** User ids as stored (a WhatsApp person may appear under wa_id and under BSUID). */
  userIds: string[];
  /** Pass back to read the next page; absent on the last page. Opaque. */
  cursor?: string;
}

/** Reads an audience from the index in pages: never a table scan. */
export interface AudienceIndex {
  page(query: AudienceQuery, cursor: string | undefined, limit: number): Promise<AudiencePage>;
}
