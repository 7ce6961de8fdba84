/**
 * Interface under test: an occurrence's recipient in the console's words (console/src/pages/
 * campaigns/recipient-words.ts): where the person stands, and why a send was skipped or failed.
 */
import { type Recipient, reachedText, recipientReason, standing } from '../../../console/src/pages/campaigns/recipient-words';

const recipient = (over: Partial<Recipient>): Recipient => ({
  channel: 'whatsapp',
  accountId: '109876543210987',
  userId: '4915100055001',
  outboxId: 'ob_RxvmVYtmXk9t1J8RhIFNFJGw',
  status: 'sent',
  states: [],
  reached: [],
  reason: null,
  detail: null,
  failure: null,
  sentAt: null,
  statusAt: null,
  clickedAt: null,
  repliedAt: null,
  convertedAt: null,
  ...over,
});

describe('an occurrence’s recipient in words', () => {
  it.each([
    ['delivered, unread', recipient({ status: 'delivered', states: ['not_read'], reached: ['delivered'] }), 'Delivered, not read', '', 'delivered'],
    ['converted', recipient({ status: 'read', reached: ['delivered', 'read', 'clicked', 'converted'] }), 'Converted', '', 'delivered → read → clicked → converted'],
    [
      'limited by Meta',
      recipient({ status: 'failed', states: ['limited_by_meta'], reached: ['limited'], failure: { code: 131049, title: 'Not delivered to maintain healthy ecosystem engagement' } }),
      'Limited by Meta (retry once the limit has passed)',
      'Meta’s marketing limit, retry once it has passed: Not delivered to maintain healthy ecosystem engagement (131049)',
      'limited',
    ],
    ['failed without a title', recipient({ status: 'failed', states: ['failed'], failure: { code: 131026, title: null } }), 'Failed', 'Meta error (131026)', '–'],
    ['skipped for a known reason', recipient({ status: 'skipped', states: ['skipped'], reason: 'quiet_hours', detail: 'Quiet hours.' }), 'Skipped by the policy when sent', 'In quiet hours on their clock', '–'],
    ['skipped for a reason the console doesn’t know', recipient({ status: 'skipped', states: ['skipped'], reason: 'new_rule', detail: 'A new rule held it.' }), 'Skipped by the policy when sent', 'A new rule held it.', '–'],
    ['still queued', recipient({ status: 'queued' }), 'Waiting to send', '', '–'],
  ])('%s', (_, r, where, why, reached) => {
    expect({ where: standing(r), why: recipientReason(r), reached: reachedText(r) }).toEqual({ where, why, reached });
  });
});
