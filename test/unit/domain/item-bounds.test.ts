/** Interface under test: the webhook item bounds (itemIssues) and the quarantine entry built from an item. */
import type { InboundEvent, OptInEvent, WatermarkEvent, WebhookEvent } from '../../../lambdas/domain/events';
import { EARLIEST_EVENT_AT, itemIssues, MAX_FUTURE_SKEW_MS } from '../../../lambdas/domain/quarantine/item-bounds';
import { MAX_ITEM_CHARS, quarantineEntry } from '../../../lambdas/domain/quarantine/quarantine-entry';

const NOW = Date.UTC(2026, 4, 17, 12);
const PAGE = '1234567890123456';
const PSID = '6543210987654321';

const inbound = (extra: Partial<InboundEvent> = {}): InboundEvent => ({
  type: 'inbound',
  eventKey: `messenger#${PAGE}#mid#m_abc`,
  occurredAt: NOW - 1000,
  contact: { channel: 'messenger', accountId: PAGE, userId: PSID },
  opener: 'message',
  messageId: 'm_abc',
  ...extra,
});

const kinds = (event: WebhookEvent) => itemIssues(event, NOW).map((i) => `${i.kind}:${i.path}`);

describe('webhook item bounds', () => {
  it('accepts an item with valid ids and a time before its receipt, however old', () => {
    expect(itemIssues(inbound(), NOW)).toEqual([]);
    expect(itemIssues(inbound({ occurredAt: EARLIEST_EVENT_AT }), NOW)).toEqual([]);
  });

  it(`accepts up to ${MAX_FUTURE_SKEW_MS / 1000} s of clock skew after receipt, and not a millisecond more`, () => {
    expect(itemIssues(inbound({ occurredAt: NOW + MAX_FUTURE_SKEW_MS }), NOW)).toEqual([]);
    expect(kinds(inbound({ occurredAt: NOW + MAX_FUTURE_SKEW_MS + 1 }))).toEqual(['time_out_of_range:occurredAt']);
  });

  it.each([
    ['year 9999 in ms', Date.UTC(9999, 11, 31)],
    ['1e15 ms', 1e15],
    ['pre-2004', Date.UTC(2003, 11, 31)],
    ['zero', 0],
    ['negative', -5000],
    ['NaN', Number.NaN],
    ['fractional', NOW - 0.5],
  ])('refuses an event time that is %s', (_case, occurredAt) => {
    expect(kinds(inbound({ occurredAt }))).toContain('time_out_of_range:occurredAt');
  });

  it('refuses 1e20 as a time, and as a number no store can hold', () => {
    expect(kinds(inbound({ occurredAt: 1e20 }))).toEqual(['time_out_of_range:occurredAt', 'unstorable_value:occurredAt']);
  });

  it('holds a watermark to the same bounds as the event time', () => {
    const watermark: WatermarkEvent = { type: 'watermark', eventKey: 'k', occurredAt: NOW, contact: inbound().contact, kind: 'read', watermark: 1e15 };
    expect(kinds(watermark)).toEqual(['time_out_of_range:watermark']);
  });

  it('lets expiry times lie in the future, up to the year 9999', () => {
    const optIn: OptInEvent = { type: 'opt_in', eventKey: 'k', occurredAt: NOW, contact: inbound().contact, token: 'tok123', change: 'opt_in', tokenExpiresAt: Date.UTC(9999, 0, 1) };
    expect(itemIssues(optIn, NOW)).toEqual([]);
    expect(kinds({ ...optIn, tokenExpiresAt: 1e20 })).toEqual(['time_out_of_range:tokenExpiresAt', 'unstorable_value:tokenExpiresAt']);
  });

  it('refuses ids outside their documented length and alphabet, naming the field but not the value', () => {
    const issues = itemIssues(inbound({ contact: { channel: 'messenger', accountId: PAGE, userId: '7'.repeat(3000) } }), NOW);
    expect(issues).toEqual([{ kind: 'invalid_id', path: 'contact.userId', message: 'at most 20 characters (got 3000)' }]);
    expect(kinds(inbound({ contact: { channel: 'whatsapp', accountId: PAGE, userId: '../../x' }, messageId: undefined }))).toEqual(['invalid_id:contact.userId']);
    expect(kinds(inbound({ messageId: 'wamid.x' }))).toEqual(['invalid_id:messageId']);
    expect(kinds(inbound({ contact: { channel: 'messenger', accountId: 'x#y', userId: PSID } }))).toEqual(['invalid_id:contact.accountId']);
  });

  it('refuses an event key too long for a key, and an item too large to be a sane register value', () => {
    expect(kinds(inbound({ eventKey: 'k'.repeat(901) }))).toEqual(['invalid_id:eventKey']);
    expect(kinds(inbound({ adReferral: { adId: 'a'.repeat(70_000) } }))).toEqual(['unstorable_value:$']);
  });

  it('accepts a WhatsApp person known only by a BSUID (an empty wa_id is Meta saying "none")', () => {
    const event = inbound({ contact: { channel: 'whatsapp', accountId: '109876543210987', userId: 'DE.88201734659910273645' }, messageId: 'wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFjNFQjA=', identities: { waId: '', bsuid: 'DE.88201734659910273645' } });
    expect(itemIssues(event, NOW)).toEqual([]);
  });
});

describe('quarantine entry', () => {
  it('is named by the item itself, so a re-delivery overwrites it, and names the person only by valid ids', () => {
    const event = inbound({ occurredAt: 1e15 });
    const entry = quarantineEntry(event, 'time_out_of_range', itemIssues(event, NOW));
    expect(entry).toMatchObject({ reason: 'time_out_of_range', type: 'inbound', channel: 'messenger', accountId: PAGE, userId: PSID, itemTruncated: false });
    expect(JSON.parse(entry.item)).toEqual(event);
    expect(quarantineEntry(event, 'time_out_of_range', []).quarantineId).toBe(entry.quarantineId);
    expect(quarantineEntry(inbound({ occurredAt: 1e16 }), 'time_out_of_range', []).quarantineId).not.toBe(entry.quarantineId);
  });

  it('drops an invalid user id (no person can be named by it) and cuts a huge item, flagged', () => {
    const event = inbound({ contact: { channel: 'messenger', accountId: PAGE, userId: '7'.repeat(30_000) } });
    const entry = quarantineEntry(event, 'invalid_id', itemIssues(event, NOW));
    expect(entry.userId).toBeUndefined();
    expect(entry.accountId).toBe(PAGE);
    expect(entry.item).toHaveLength(MAX_ITEM_CHARS);
    expect(entry.itemTruncated).toBe(true);
  });
});
