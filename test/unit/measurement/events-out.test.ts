import { keywordRule } from '../../../lambdas/domain/automation/keyword-rule';
import { DEFAULT_AUTOMATION_CONFIG } from '../../../lambdas/schemas/automation-config';
import { messageEvent, webhookConsentEvent } from '../../../lambdas/domain/measurement/events-out';
import { gateEventsOut } from '../../../lambdas/measurement/events-out-gate';
import type { BusinessBusEvent } from '../../../lambdas/domain/automation/rule';
import { AFTERCHAT_EVENT_DETAILS, isAfterchatEventType } from '../../../lambdas/schemas/afterchat-events';

const CONTACT = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' } as const;
const AT = Date.UTC(2026, 10, 23, 8, 0, 5);

/** Every event is valid against its published schema. */
const valid = (event: BusinessBusEvent | undefined): BusinessBusEvent => {
  if (event === undefined || !isAfterchatEventType(event.detailType)) throw new Error(`not an afterchat event: ${JSON.stringify(event)}`);
  AFTERCHAT_EVENT_DETAILS[event.detailType].parse(event.detail);
  return event;
};

describe('afterchat’s own events', () => {
  it('a campaign message’s milestone names the send, its campaign and occurrence, and dedupes on outbox id and milestone', () => {
    const event = valid(messageEvent('read', { outboxId: 'ob_RxvmVYtmXk9t1J8RhIFNFJGw', intent: CONTACT, messageId: 'wamid.X', group: 'weekly-deals#2026-11-23T08:00:00.000Z' }, AT));
    expect(event).toEqual({
      detailType: 'message.read',
      detail: {
        ...CONTACT,
        contactPath: `/admin/contacts/whatsapp/${CONTACT.accountId}/${CONTACT.userId}`,
        outboxId: 'ob_RxvmVYtmXk9t1J8RhIFNFJGw',
        messageId: 'wamid.X',
        campaignId: 'weekly-deals',
        occurrenceKey: '2026-11-23T08:00:00.000Z',
        at: '2026-11-23T08:00:05.000Z',
        eventKey: 'ob_RxvmVYtmXk9t1J8RhIFNFJGw#read',
      },
    });
    // Only delivered, read and clicked are told.
    expect(messageEvent('billed', { outboxId: 'ob_x', intent: CONTACT }, AT)).toBeUndefined();
  });

  it('user_preferences and a stopped Messenger topic are consent events; a status is not', () => {
    expect(valid(webhookConsentEvent({ type: 'marketing_preference', eventKey: 'k1', occurredAt: AT, contact: CONTACT, value: 'stop', category: 'marketing_messages' }))).toMatchObject({
      detailType: 'contact.opted_out',
      detail: { scope: 'marketing', source: 'user_preferences', eventKey: 'k1' },
    });
    const page = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' } as const;
    expect(valid(webhookConsentEvent({ type: 'opt_in', eventKey: 'k2', occurredAt: AT, contact: page, token: 't', change: 'resume', title: 'Weekly deals' }))).toMatchObject({
      detailType: 'contact.opted_in',
      detail: { scope: 'topic', source: 'messaging_optins', topic: 'Weekly deals' },
    });
    expect(webhookConsentEvent({ type: 'message_status', eventKey: 'k3', occurredAt: AT, messageId: 'wamid.X', status: 'delivered' })).toBeUndefined();
  });

  it('STOP tells the shop once per change: a second STOP changes nothing and tells nothing', () => {
    const inbound = { eventKey: 'stop-1', occurredAt: AT, contact: CONTACT, text: 'STOP' };
    const situation = { inbound, state: {}, config: DEFAULT_AUTOMATION_CONFIG, accountTimeZone: 'Europe/Berlin', now: AT, silenced: false, handled: false };
    const first = keywordRule(situation);
    expect(first?.busEvents?.map(valid).map((e) => [e.detailType, e.detail.source, e.detail.keyword])).toEqual([['contact.opted_out', 'keyword', 'STOP']]);
    const stored = { keywordOptOut: true, keywordOptOutKeyword: 'STOP', keywordOptOutEventKey: 'stop-1', keywordOptOutAt: AT, keywordOptOutOrder: 'x' };
    expect(keywordRule({ ...situation, inbound: { ...inbound, eventKey: 'stop-2', occurredAt: AT + 1000 }, state: stored })?.busEvents).toBeUndefined();
  });

  it('the stage switch off drops them before the bus, and lets handoff.requested through', async () => {
    const put: BusinessBusEvent[][] = [];
    const bus = gateEventsOut({ put: (events) => Promise.resolve(void put.push([...events])) }, false);
    await bus.put([{ detailType: 'contact.opted_out', detail: {} }]);
    await bus.put([{ detailType: 'message.read', detail: {} }, { detailType: 'handoff.requested', detail: {} }]);
    expect(put).toEqual([[{ detailType: 'handoff.requested', detail: {} }]]);
  });
});
