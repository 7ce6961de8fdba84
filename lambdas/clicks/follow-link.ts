import type { Clock } from '../domain/clock';
import { isPreviewFetch } from '../domain/clicks/preview-fetch';
import { verifyTrackedLink } from '../domain/clicks/tracking-token';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import type { TrackingKeys } from '../ports/tracking-keys';
import { type ClickCounting, countClick } from './count-click';

export interface FollowLinkDeps extends ClickCounting {
  keys: TrackingKeys;
  outbox: Pick<Outbox, 'get'>;
  clock: Clock;
  /** A preview agent's fetch this soon after delivery is the preview, not a person (README "Clicks"). */
  previewWindowMs: number;
}

export type LinkOutcome =
  | { kind: 'redirect'; location: string; counted: 'click' | 'preview' }
  /** `forged` 403, `expired` 410, `unknown_target` 404: the message carried no such link (or is gone). */
  | { kind: 'forged' | 'expired' | 'unknown_target' };

/**
 * A tracking link followed: only a token afterchat signed, before its expiry, naming a target its
 * message carried, redirects, and only to that stored target (the token holds an index, never an
 * address: no open redirect). A preview agent's fetch around delivery redirects without counting.
 */
export const followLink = async (deps: FollowLinkDeps, request: { token: string | undefined; userAgent?: string }): Promise<LinkOutcome> => {
  const now = deps.clock();
  const check = verifyTrackedLink(request.token, await deps.keys.keys(), now);
  if (!check.ok) return { kind: check.reason };
  const record = await deps.outbox.get(check.link.outboxId);
  const location = record?.links?.[check.link.target];
  if (record === undefined || location === undefined) return { kind: 'unknown_target' };
  if (isPreviewFetch({ userAgent: request.userAgent, at: now }, deliveredAt(record), deps.previewWindowMs)) return { kind: 'redirect', location, counted: 'preview' };
  await countClick(deps, record, { kind: 'link', target: check.link.target }, now);
  return { kind: 'redirect', location, counted: 'click' };
};

/** When the message reached the person: Meta's delivery (or read) report, else the send. */
const deliveredAt = (record: OutboxRecord): number | undefined =>
  record.delivery !== undefined && ['delivered', 'read', 'played'].includes(record.delivery.status) ? record.delivery.at : record.sentAt;
