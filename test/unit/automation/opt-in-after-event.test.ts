/**
 * Interface under test: the opt-in request after a business event (createOptInAfterEvent), as the
 * dispatcher calls it after the event's template, with a stored configuration, a contact state and
 * a recording send path keyed like the outbox.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createOptInAfterEvent } from '../../../lambdas/automation/opt-in-after-event';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { type AutomationConfig, AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import type { BusinessEvent } from '../../../lambdas/schemas/business-event';

const PAGE = '1234567890123456';
const PSID = '6543210987654321';
const NOW = Date.UTC(2026, 11, 6, 10);

const shipped = (over: Partial<BusinessEvent['detail']> = {}, detailType = 'order.shipped'): BusinessEvent => ({
  version: '0',
  id: 'evt-1',
  source: 'com.sampleshop.orders',
  account: '123456789012',
  time: '2026-12-06T10:00:00Z',
  region: 'eu-central-1',
  'detail-type': detailType,
  resources: [],
  detail: { channel: 'messenger', accountId: PAGE, userId: PSID, template: { name: 'order_shipped', language: 'en' }, idempotencyKey: 'order-SK-1042-shipped', ...over },
});

const CONFIG = AutomationConfigSchema.parse({
  optInRequest: { messenger: { title: 'Weekly deals', payload: 'topic:deals', afterEvents: ['order.shipped'] } },
});

const setup = (state: Record<string, unknown> = {}, get: (account: ContactRef) => Promise<AutomationConfig | undefined> = (account) => Promise.resolve(account.channel === 'messenger' ? CONFIG : undefined)) => {
  const jobs = new Map<string, SendIntent>();
  const after = createOptInAfterEvent({
    configs: { get },
    store: { getPerson: (contact) => Promise.resolve({ ...contact, state, optIns: [] }) },
    sends: {
      send: (intent, key) => {
        const created = !jobs.has(key);
        if (created) jobs.set(key, intent);
        return Promise.resolve({ created, record: { outboxId: `ob_${key}`, createdAt: NOW }, decision: { outcome: 'refuse', reason: 'opt_in_request_outside_window', rule: 'messenger.opt_in_request', detail: '' } });
      },
    },
    clock: () => NOW,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return { after, jobs };
};

describe('opt-in request after a business event', () => {
  it('asks after a listed event, keyed by the event so a redelivery makes no second job', async () => {
    const { after, jobs } = setup();
    expect(await after(shipped())).toMatchObject({ created: true, decision: { reason: 'opt_in_request_outside_window' } });
    expect(await after(shipped())).toMatchObject({ created: false });
    expect([...jobs.entries()]).toEqual([
      [
        'automation#opt_in_request#event#com.sampleshop.orders#order.shipped#order-SK-1042-shipped',
        { channel: 'messenger', accountId: PAGE, userId: PSID, kind: 'opt_in_request', author: 'bot', content: { type: 'opt_in_request', title: 'Weekly deals', payload: 'topic:deals' } },
      ],
    ]);
  });

  it('does nothing after an event not listed, on WhatsApp, or while another app holds the thread', async () => {
    const { after, jobs } = setup();
    expect(await after(shipped({}, 'order.delivered'))).toBeUndefined();
    expect(await after(shipped({ channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' }))).toBeUndefined();
    const held = setup({ threadHolder: 'other_app', threadControlAt: NOW - 1000 });
    await held.after(shipped());
    expect([...jobs.keys(), ...held.jobs.keys()]).toEqual([]);
  });

  it('asks nothing, and fails nothing, for an account whose stored configuration the schema no longer reads', async () => {
    // What the DynamoDB store throws for such an item: the schema's own error.
    const stale = AutomationConfigSchema.safeParse({ optInRequest: { messenger: { title: 'Weekly deals', payload: 'topic:deals', afterEvents: ['order.shipped'], reward: '10%' } } });
    if (stale.success) throw new Error('expected the stale configuration to be refused');
    const { after, jobs } = setup({}, () => Promise.reject(stale.error));
    expect(await after(shipped())).toBeUndefined();
    expect([...jobs.keys()]).toEqual([]);
  });
});
