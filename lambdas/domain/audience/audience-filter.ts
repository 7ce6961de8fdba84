/**
 * Who is in an audience: the one filter a campaign's audience and the admin contact search share, so
 * "who would this campaign reach" and "which contacts match" are the same question. Pure.
 */
import type { AudienceSegment } from '../../ports/audience-index';
import type { CampaignAudience } from '../../schemas/campaign';
import { STANDARD_WINDOW_MS } from '../conversation-window';
import type { Channel } from '../events';
import type { ContactPolicyState } from '../send/policy-types';

const DAY_MS = 24 * 3_600_000;

export type AudienceFilter = CampaignAudience;

/** What the filter reads of a contact: its profile and the state the policy engine reads. */
export interface AudienceCandidate {
  channel: Channel;
  tags: readonly string[];
  attributes: Readonly<Record<string, string>>;
  contact: ContactPolicyState;
}

/**
 * The index listing an audience is read from: a topic's token holders, else the first tag's
 * carriers, else the whole account. Every filter is applied again to what it lists.
 */
export const audienceSegmentOf = (filter: AudienceFilter): AudienceSegment => {
  const [firstTag] = filter.tags ?? [];
  if (filter.topic !== undefined) return { kind: 'topic', topic: filter.topic };
  return firstTag !== undefined ? { kind: 'tag', tag: firstTag } : { kind: 'all' };
};

/** Meta's stop (WhatsApp user_preferences, 131050) or a STOP keyword the person wrote. */
export const optedOutOfMarketing = (contact: ContactPolicyState): boolean => contact.marketingOptOut === true || contact.keywordOptOut !== undefined;

/** The 24 h window is open strictly before `lastInboundAt + 24 h`, as the contact view shows it. */
export const windowOpenAt = (contact: ContactPolicyState, now: number): boolean =>
  contact.lastInboundAt !== undefined && now < contact.lastInboundAt + STANDARD_WINDOW_MS;

export const matchesAudience = (candidate: AudienceCandidate, filter: AudienceFilter, now: number): boolean => {
  const { topic, optInStatus, tags = [], attributes = {}, lastInboundWithinDays, channel, marketingOptOut, windowOpen } = filter;
  const { contact } = candidate;
  const lastInboundAt = contact.lastInboundAt;
  return (
    // Without a status, a stopped token still counts: a campaign's policy engine then says why (opt_in_stopped).
    (topic === undefined || contact.optIns.some((o) => (o.topic ?? o.title) === topic && (optInStatus === undefined || o.status === optInStatus))) &&
    (channel === undefined || channel === candidate.channel) &&
    tags.every((tag) => candidate.tags.includes(tag)) &&
    Object.entries(attributes).every(([name, value]) => candidate.attributes[name] === value) &&
    (lastInboundWithinDays === undefined || (lastInboundAt !== undefined && now - lastInboundAt <= lastInboundWithinDays * DAY_MS)) &&
    (marketingOptOut === undefined || optedOutOfMarketing(contact) === marketingOptOut) &&
    (windowOpen === undefined || windowOpenAt(contact, now) === windowOpen)
  );
};
