/** Interface under test: stateChanges, what each normalised event writes. */
import type { ContactRef, WebhookEvent } from '../../../lambdas/domain/events';
import { normaliseWebhookBody } from '../../../lambdas/normalise/webhook-body';
import { listEvents, loadEvent } from '../../helpers/events';
import { orderOf } from '../../../lambdas/domain/state-writes';
import { STATUS_RANK, stateChanges } from '../../../lambdas/domain/state-changes';

const contact: ContactRef = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' };
const at = Date.UTC(2026, 4, 17, 12);
const registers = (event: WebhookEvent) => stateChanges(event).map((w) => `${w.target.entity}.${w.register}`);

describe('stateChanges', () => {
  it('opens the window from an inbound message, remembering the opener', () => {
    const writes = stateChanges({ type: 'inbound', eventKey: 'k', occurredAt: at, contact, opener: 'message', messageId: 'm_1' });
    expect(writes.find((w) => w.register === 'window')).toMatchObject({
      wins: 'later',
      order: orderOf(at, 'k'),
      fields: { lastInboundAt: at, openedBy: 'message', lastInboundMessageId: 'm_1' },
    });
    expect(registers({ type: 'inbound', eventKey: 'k', occurredAt: at, contact, opener: 'message' })).toContain('contact.lastMessage');
  });

  it('does not count a reaction as a message for HUMAN_AGENT', () => {
    expect(registers({ type: 'inbound', eventKey: 'k', occurredAt: at, contact, opener: 'reaction' })).not.toContain('contact.lastMessage');
  });

  it.each<WebhookEvent>([
    { type: 'echo', eventKey: 'k', occurredAt: at, contact, messageId: 'm_1' },
    { type: 'message_status', eventKey: 'k', occurredAt: at, messageId: 'm_1', status: 'read', contact },
    { type: 'watermark', eventKey: 'k', occurredAt: at, contact, kind: 'read', watermark: at },
    { type: 'opt_in', eventKey: 'k', occurredAt: at, contact, token: 't', change: 'opt_in' },
    { type: 'template_status', eventKey: 'k', occurredAt: at, account: contact, name: 'n', language: 'en', status: 'APPROVED' },
    { type: 'page_policy', eventKey: 'k', occurredAt: at, account: contact, action: 'block' },
  ])('never touches the window for a $type event', (event) => {
    expect(registers(event)).not.toContain('contact.window');
  });

  it('ranks statuses so they only move forward, a late delivery beating a failure', () => {
    expect(STATUS_RANK.sent).toBeLessThan(STATUS_RANK.failed);
    expect(STATUS_RANK.failed).toBeLessThan(STATUS_RANK.delivered);
    expect(STATUS_RANK.delivered).toBeLessThan(STATUS_RANK.read);
  });

  it('keeps a failure code and title apart from the status', () => {
    const writes = stateChanges({
      type: 'message_status',
      eventKey: 'k',
      occurredAt: at,
      messageId: 'wamid.1',
      status: 'failed',
      error: { code: 131049, title: 'healthy ecosystem' },
    });
    expect(writes.find((w) => w.register === 'failure')?.fields).toMatchObject({ errorCode: 131049, errorTitle: 'healthy ecosystem' });
    expect(writes.find((w) => w.register === 'status')).toMatchObject({ rank: STATUS_RANK.failed, fields: { status: 'failed' } });
  });

  it('records a stop as a stopped token and keeps the opt-in details for opt-ins only', () => {
    const stop = stateChanges({ type: 'opt_in', eventKey: 'k', occurredAt: at, contact, token: 'tok', change: 'stop' });
    expect(stop.map((w) => w.register)).toEqual(['optInStatus']);
    expect(stop[0]?.fields).toMatchObject({ status: 'stopped', lastChange: 'stop' });
    const optIn = stateChanges({ type: 'opt_in', eventKey: 'k', occurredAt: at, contact, token: 'tok', change: 'opt_in', title: 'Deals', payload: 'topic:deals' });
    expect(optIn.find((w) => w.register === 'optInDetails')?.fields).toMatchObject({ title: 'Deals', topic: 'topic:deals' });
    expect(optIn.find((w) => w.register === 'optInOrigin')).toMatchObject({ wins: 'earlier', fields: { optedInAt: at } });
  });

  it('sets the WhatsApp marketing opt-out from user_preferences', () => {
    const wa: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };
    const writes = stateChanges({ type: 'marketing_preference', eventKey: 'k', occurredAt: at, contact: wa, value: 'stop', category: 'marketing_messages' });
    expect(writes[0]?.fields).toMatchObject({ marketingOptOut: true });
  });

  it('links a BSUID to the wa_id-keyed contact when both are known', () => {
    const wa: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };
    const writes = stateChanges({
      type: 'inbound',
      eventKey: 'k',
      occurredAt: at,
      contact: wa,
      opener: 'message',
      identities: { waId: '4915112345678', bsuid: 'DE.123' },
    });
    const link = writes.find((w) => w.register === 'link');
    expect(link?.target).toEqual({ entity: 'contact', contact: { ...wa, userId: 'DE.123' } });
    expect(link?.fields).toEqual({ linkedUserId: '4915112345678' });
  });

  it('never lets a thread-control request change the owner', () => {
    const request = stateChanges({ type: 'thread_control', eventKey: 'k', occurredAt: at, contact, action: 'request', newOwnerAppId: '42' });
    expect(request.map((w) => w.register)).toEqual(['threadRequest']);
  });

  it('keeps a warning from unblocking a blocked Page', () => {
    const warning = stateChanges({ type: 'page_policy', eventKey: 'k', occurredAt: at, account: contact, action: 'warning', reason: 'spam' });
    expect(warning.map((w) => w.register)).toEqual(['policyWarning']);
  });

  it('orders equal times by event identity, and earlier times first', () => {
    expect(orderOf(at, 'a') < orderOf(at, 'b')).toBe(true);
    expect(orderOf(at - 1, 'z') < orderOf(at, 'a')).toBe(true);
    expect(orderOf(999, 'x') < orderOf(1000, 'x')).toBe(true);
  });
});

describe('stateChanges over every sample event', () => {
  // A register must always write the same fields (absent ones as undefined, which removes them):
  // otherwise which fields survive would depend on the order webhooks arrive in.
  it('writes each register with one and the same field set', () => {
    const fieldSets = new Map<string, Set<string>>();
    for (const path of listEvents('meta')) {
      for (const event of normaliseWebhookBody(loadEvent(path)).events) {
        for (const write of stateChanges(event)) {
          const id = `${write.target.entity}.${write.register}`;
          const keys = Object.keys(write.fields).sort().join(',');
          fieldSets.set(id, new Set([...(fieldSets.get(id) ?? []), keys]));
        }
      }
    }
    expect(fieldSets.size).toBeGreaterThan(15);
    for (const [register, sets] of fieldSets) expect({ register, fieldSets: [...sets] }).toEqual({ register, fieldSets: [[...sets][0]] });
  });
});

describe('stateChanges: identity changes', () => {
  const phone = { channel: 'whatsapp' as const, accountId: '109876543210987' };
  const base = { eventKey: 'k', occurredAt: at };

  it('links every previous id to the new key, and keeps the parent BSUIDs as facts only', () => {
    const writes = stateChanges({
      ...base,
      type: 'identity_change',
      change: 'user_id',
      contact: { ...phone, userId: 'DE.NEW' },
      current: { bsuid: 'DE.NEW', parentBsuid: 'DE.P.NEW' },
      previous: { bsuid: 'DE.OLD', parentBsuid: 'DE.P.OLD' },
    });
    expect(writes).toContainEqual(expect.objectContaining({ target: { entity: 'contact', contact: { ...phone, userId: 'DE.OLD' } }, register: 'link', fields: { linkedUserId: 'DE.NEW' } }));
    expect(writes.find((w) => w.register === 'identityChange')?.fields).toMatchObject({ previousBsuid: 'DE.OLD', parentBsuid: 'DE.P.NEW', previousParentBsuid: 'DE.P.OLD' });
    expect(writes.map((w) => w.register)).not.toContain('window');
    // No record is ever keyed by a parent BSUID.
    expect(writes.every((w) => w.target.entity !== 'contact' || !w.target.contact.userId.startsWith('DE.P.'))).toBe(true);
  });

  it('a number change links the old number and the old BSUID to the new number', () => {
    const writes = stateChanges({
      ...base,
      type: 'identity_change',
      change: 'number',
      contact: { ...phone, userId: '4915198765432' },
      current: { waId: '4915198765432', bsuid: 'DE.NEW' },
      previous: { waId: '4915112345678', bsuid: 'DE.OLD' },
    });
    const links = writes.filter((w) => w.register === 'link').map((w) => [w.target.entity === 'contact' && w.target.contact.userId, w.fields.linkedUserId]);
    expect(links).toEqual(expect.arrayContaining([['4915112345678', '4915198765432'], ['DE.OLD', '4915198765432'], ['DE.NEW', '4915198765432']]));
  });

  it('records whether an inbound message came on standby, in the window register', () => {
    const writes = stateChanges({ ...base, type: 'inbound', contact: { ...phone, userId: '4915112345678' }, opener: 'message', standby: true });
    expect(writes.find((w) => w.register === 'window')?.fields).toMatchObject({ lastInboundStandby: true });
  });
});
