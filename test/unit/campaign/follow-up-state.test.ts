import { FOLLOW_UP_STATES, type FollowUpState, inFollowUpState, type RecipientOutcome } from '../../../lambdas/domain/campaign/follow-up-state';
import type { Channel } from '../../../lambdas/domain/events';
import type { OutboxStatus } from '../../../lambdas/domain/send/outbox';
import type { Milestone } from '../../../lambdas/ports/funnel-milestones';

const outcome = (status: OutboxStatus, extra: { channel?: Channel; errorCode?: number; milestones?: Milestone[] } = {}): RecipientOutcome => ({
  channel: extra.channel ?? 'whatsapp',
  status,
  ...(extra.errorCode === undefined ? {} : { errorCode: extra.errorCode }),
  milestones: new Set(extra.milestones ?? []),
});

/** The states a recipient is in: one at most, whatever happened to the message. */
const statesOf = (o: RecipientOutcome): FollowUpState[] => FOLLOW_UP_STATES.filter((state) => inFollowUpState(o, state));

describe('a recipient’s follow-up state', () => {
  it.each([
    ['accepted, no report yet', outcome('sent'), ['not_delivered']],
    ['delivered', outcome('delivered'), ['not_read']],
    ['read', outcome('read'), ['read_not_clicked']],
    ['read and clicked', outcome('read', { milestones: ['read', 'clicked'] }), ['clicked_not_converted']],
    ['clicked with read receipts off (a click was read)', outcome('delivered', { milestones: ['clicked'] }), ['clicked_not_converted']],
    ['clicked and converted', outcome('read', { milestones: ['clicked', 'converted'] }), []],
    ['WhatsApp marketing limit 131049', outcome('failed', { errorCode: 131049 }), ['limited_by_meta']],
    ['Messenger frequency cap 2300043', outcome('failed', { channel: 'messenger', errorCode: 2300043 }), ['limited_by_meta']],
    ['the funnel recorded it limited', outcome('failed', { milestones: ['limited'] }), ['limited_by_meta']],
    ['not on WhatsApp 131026', outcome('failed', { errorCode: 131026 }), ['failed']],
    ['failed without a code', outcome('failed'), ['failed']],
    ['Instagram reports no delivery: never not_delivered', outcome('sent', { channel: 'instagram' }), []],
    ['Instagram read', outcome('read', { channel: 'instagram' }), ['read_not_clicked']],
    ['still queued', outcome('queued'), []],
    ['skipped by the policy at send time', outcome('skipped'), []],
    ['outcome unknown (timeout)', outcome('unknown'), []],
  ] as const)('%s', (_, o, expected) => {
    expect(statesOf(o)).toEqual(expected);
  });
});
