/**
 * Where a recipient of a campaign occurrence stands in its funnel, for a follow-up campaign to the
 * recipients in one state (README "Follow-ups"). Pure: read from the send's outbox record (its
 * status with Meta's reports applied, its error) and the milestones the funnel recorded on it.
 */
import type { Channel } from '../events';
import type { OutboxStatus } from '../send/outbox';
import type { Milestone } from '../../ports/funnel-milestones';
import { LIMITED_CODES } from '../measurement/status-flags';

export const FOLLOW_UP_STATES = ['limited_by_meta', 'not_delivered', 'not_read', 'read_not_clicked', 'clicked_not_converted', 'failed'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

export interface RecipientOutcome {
  channel: Channel;
  /** The send's status with Meta's status reports applied (outbox.ts `effectiveStatus`). */
  status: OutboxStatus;
  /** Meta's error code of a failure: the Graph API's answer, or a failed status webhook's. */
  errorCode?: number;
  /** What the funnel recorded for the send (lambdas/ports/funnel-milestones.ts). */
  milestones: ReadonlySet<Milestone>;
}

const ACCEPTED: ReadonlySet<OutboxStatus> = new Set(['sent', 'delivered', 'read']);

/**
 * Whether the recipient is in `state`. A later step implies the earlier ones (a click was read, a
 * read was delivered), so a person counts in one of the engagement states at most:
 * - `limited_by_meta`: failed on one of Meta's marketing limits (status-flags.ts LIMITED_CODES:
 *   WhatsApp 131049, Messenger's marketing message limits), or the funnel recorded it `limited`;
 *   the message may go once the limit has passed;
 * - `failed`: failed for any other reason;
 * - `not_delivered`: Meta accepted it and reported neither a delivery, a read nor a failure. Instagram
 *   reports no delivery, so its recipients are never in it;
 * - `not_read`: delivered, neither read nor clicked;
 * - `read_not_clicked`: read (on Messenger a read watermark), no click;
 * - `clicked_not_converted`: clicked, no conversion attributed to the message.
 */
export const inFollowUpState = (outcome: RecipientOutcome, state: FollowUpState): boolean => {
  const { limited, failed, delivered, read, clicked, converted } = funnelSteps(outcome);
  switch (state) {
    case 'limited_by_meta':
      return limited;
    case 'failed':
      return failed;
    case 'not_delivered':
      return ACCEPTED.has(outcome.status) && !delivered && !limited && !failed && outcome.channel !== 'instagram';
    case 'not_read':
      return delivered && !read;
    case 'read_not_clicked':
      return read && !clicked;
    case 'clicked_not_converted':
      return clicked && !converted;
  }
};

export interface FunnelSteps {
  limited: boolean;
  failed: boolean;
  delivered: boolean;
  read: boolean;
  clicked: boolean;
  replied: boolean;
  converted: boolean;
}

/**
 * The funnel steps the recipient reached, each later one implying the earlier (a click was read, a
 * read was delivered); a failure on one of Meta's marketing limits is `limited`, never `failed`.
 */
export const funnelSteps = (outcome: RecipientOutcome): FunnelSteps => {
  const has = (m: Milestone) => outcome.milestones.has(m);
  const limited = has('limited') || (outcome.status === 'failed' && outcome.errorCode !== undefined && LIMITED_CODES.has(outcome.errorCode));
  const clicked = has('clicked');
  const read = clicked || has('read') || outcome.status === 'read';
  return {
    limited,
    failed: !limited && (outcome.status === 'failed' || has('failed')),
    delivered: read || has('delivered') || outcome.status === 'delivered',
    read,
    clicked,
    replied: has('replied'),
    converted: has('converted'),
  };
};
