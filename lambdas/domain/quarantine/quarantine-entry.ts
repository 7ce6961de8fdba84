/**
 * A quarantined webhook item as stored: the reason, each issue, and the item itself (the
 * normalised event, which never holds message text). Pure.
 */
import { createHash } from 'node:crypto';
import { accountIdIssue, userIdIssue } from '../../schemas/ids';
import type { Channel, ContactRef, WebhookEvent } from '../events';
import type { IssueKind, ItemIssue } from './item-bounds';

/**
 * `store_refused`: the values passed the bounds, but storage refused the item for a reason of its
 * own (a DynamoDB ValidationException, a value the marshaller can't encode): Meta's retry can't help.
 */
export type QuarantineReason = IssueKind | 'store_refused';

/** One webhook item set aside, as the webhook hands it to the quarantine (`quarantineEntry` below builds it). */
export interface QuarantineEntry {
  /** Derived from the item itself: the same item delivered again overwrites its entry instead of adding one. */
  quarantineId: string;
  reason: QuarantineReason;
  /** Each field that failed and what it should be; never the value. */
  issues: { path: string; message: string }[];
  /** The normalised event's type. */
  type: string;
  /** The ids the item names, only when they pass the id rules (a key can hold them). */
  channel?: Channel;
  accountId?: string;
  /** Only with a valid channel and account id: the entry is then among the person's items (erasure finds it). */
  userId?: string;
  /** The normalised event as JSON (no message text: events never carry it), cut at a bound. */
  item: string;
  itemTruncated: boolean;
}

/** The stored copy of the item: enough to see what was wrong, bounded so the entry always fits an item. */
export const MAX_ITEM_CHARS = 16 * 1024;
/** An item of thousands of bad numbers needs no thousand issues to be understood. */
export const MAX_ISSUES = 20;

export const quarantineEntry = (event: WebhookEvent, reason: QuarantineReason, issues: readonly Pick<ItemIssue, 'path' | 'message'>[]): QuarantineEntry => {
  const json = JSON.stringify(event);
  const ref = 'contact' in event && event.contact ? event.contact : 'account' in event ? event.account : undefined;
  const accountOk = ref !== undefined && accountIdIssue(ref.channel, ref.accountId) === undefined;
  const userId = accountOk && ref !== undefined && 'userId' in ref ? validUserId(ref as ContactRef) : undefined;
  return {
    quarantineId: createHash('sha256').update(json).digest('base64url').slice(0, 24),
    reason,
    issues: issues.slice(0, MAX_ISSUES).map(({ path, message }) => ({ path, message })),
    type: event.type,
    ...(ref === undefined ? {} : { channel: ref.channel }),
    ...(accountOk ? { accountId: ref.accountId } : {}),
    ...(userId === undefined ? {} : { userId }),
    item: json.length > MAX_ITEM_CHARS ? json.slice(0, MAX_ITEM_CHARS) : json,
    itemTruncated: json.length > MAX_ITEM_CHARS,
  };
};

const validUserId = (contact: ContactRef): string | undefined => (userIdIssue(contact.channel, contact.userId) === undefined ? contact.userId : undefined);

/** The reason an entry is filed under: the first issue's kind (issues are in field order, times first). */
export const reasonOf = (issues: readonly ItemIssue[]): QuarantineReason => (issues[0] as ItemIssue).kind;

/** How long quarantined items are kept unless the stage says otherwise (lib/config.ts `quarantineRetentionDays`). */
export const DEFAULT_QUARANTINE_RETENTION_DAYS = 30;

/** When an entry received at `receivedAt` expires, in ms but on a whole second, as DynamoDB's TTL attribute holds it. */
export const quarantineExpiresAt = (receivedAt: number, retentionDays: number): number => (Math.floor(receivedAt / 1000) + retentionDays * 86_400) * 1000;
