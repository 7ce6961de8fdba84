/**
 * Interface under test: the automation use case (createAutomation) and the opt-in request after a
 * business event (createOptInAfterEvent) counting what they send for the cost report, with the
 * in-memory usage store, the register model as storage and a send path keyed like the outbox: one
 * count per automated send through redeliveries and crashes.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { mergeContactStates } from '../../../lambdas/adapters/dynamodb/contact-merge';
import { InMemoryAutomationUsageStore } from '../../../lambdas/adapters/memory/automation-usage-store';
import { createOptInAfterEvent } from '../../../lambdas/automation/opt-in-after-event';
import { createAutomation } from '../../../lambdas/automation/run-automation';
import type { AutomatedSendUsage } from '../../../lambdas/domain/automation/usage';
import type { AutomationInbound } from '../../../lambdas/domain/automation/keyword-opt-out';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { Decision } from '../../../lambdas/domain/send/policy-types';
import { AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import type { BusinessEvent } from '../../../lambdas/schemas/business-event';
import { RegisterModel } from '../../helpers/register-model';

const PERSON: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };
const ACCOUNT = { channel: PERSON.channel, accountId: PERSON.accountId };
/** 23:30 UTC: already the 7th in Berlin. */
const T0 = Date.UTC(2026, 11, 6, 23, 30);
const inbound = (n: number, text: string): AutomationInbound => ({ eventKey: `whatsapp#${PERSON.accountId}#wamid#wamid.${n}`, occurredAt: T0 + n * 1000, contact: PERSON, text });
const ALLOW: Decision = { outcome: 'allow', route: 'whatsapp.free_form', pricing: 'service', rule: 'whatsapp.window.customer_service' };
const REFUSE: Decision = { outcome: 'refuse', reason: 'window_closed', detail: 'The window closed.', rule: 'whatsapp.window.customer_service' };

const setup = (decision: Decision = ALLOW) => {
  const model = new RegisterModel();
  const jobs = new Set<string>();
  const store = new InMemoryAutomationUsageStore();
  const crash = { afterNextJob: false };
  const run = createAutomation({
    store: {
      getPerson: () => Promise.resolve(model.items.size === 0 ? undefined : { ...PERSON, state: mergeContactStates([...model.items.values()]), optIns: [] }),
      apply: (writes) => Promise.resolve(model.applyWrites(writes)),
    },
    sends: {
      send: (_intent, idempotencyKey) => {
        const created = !jobs.has(idempotencyKey);
        jobs.add(idempotencyKey);
        return Promise.resolve({ created, record: { outboxId: `ob_${idempotencyKey}` }, decision });
      },
    },
    // The Lambda dies once between creating the outbox job and counting it.
    usage: {
      record: (send: AutomatedSendUsage) => {
        if (crash.afterNextJob) {
          crash.afterNextJob = false;
          return Promise.reject(new Error('Lambda timed out'));
        }
        return store.record(send);
      },
    },
    configs: { get: () => Promise.resolve(undefined) },
    accounts: { get: (a) => Promise.resolve({ ...a, displayName: 'Shop', tokenSecret: 'token', timezone: 'Europe/Berlin' }) },
    clock: () => T0 + 60_000,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  return { run, jobs, crash, tally: () => store.tally(ACCOUNT, '2026-12-01', '2026-12-31') };
};

describe('automation usage', () => {
  it('counts a STOP confirmation once on the account’s local day, however often SQS delivers its hand-off', async () => {
    const { run, tally } = setup();

    await run([inbound(1, 'STOP')]);
    await run([inbound(1, 'STOP')]);
    await run([inbound(1, 'STOP')]);

    expect(await tally()).toEqual([{ day: '2026-12-07', rule: 'keyword', pricing: 'service', market: 'DE', count: 1 }]);
  });

  it('counts a send whose Lambda crashed after its outbox job and before the count once, when the hand-off comes back', async () => {
    const { run, jobs, crash, tally } = setup();
    crash.afterNextJob = true;

    await expect(run([inbound(1, 'STOP')])).rejects.toThrow('Lambda timed out');
    expect(jobs.size).toBe(1);
    expect(await tally()).toEqual([]);
    await run([inbound(1, 'STOP')]);
    await run([inbound(1, 'STOP')]);

    expect(jobs.size).toBe(1);
    expect(await tally()).toEqual([{ day: '2026-12-07', rule: 'keyword', pricing: 'service', market: 'DE', count: 1 }]);
  });

  it('counts STOP and START as two sends, and a send the policy engine refused apart, with no pricing', async () => {
    const allowed = setup();
    await allowed.run([inbound(1, 'STOP'), inbound(2, 'START')]);
    const refused = setup(REFUSE);
    await refused.run([inbound(1, 'STOP')]);

    expect(await allowed.tally()).toEqual([{ day: '2026-12-07', rule: 'keyword', pricing: 'service', market: 'DE', count: 2 }]);
    expect(await refused.tally()).toEqual([{ day: '2026-12-07', rule: 'keyword', pricing: null, market: 'DE', count: 1 }]);
  });
});

describe('automation usage of an opt-in request after a business event', () => {
  const PAGE = '1234567890123456';
  const PSID = '6543210987654321';
  const shipped: BusinessEvent = {
    version: '0',
    id: 'evt-1',
    source: 'com.sampleshop.orders',
    account: '123456789012',
    // 23:30 UTC: already the 7th in Amsterdam.
    time: '2026-12-06T23:30:00Z',
    region: 'eu-central-1',
    'detail-type': 'order.shipped',
    resources: [],
    detail: { channel: 'messenger', accountId: PAGE, userId: PSID, template: { name: 'order_shipped', language: 'en' }, idempotencyKey: 'order-SK-1042-shipped' },
  };

  it('counts the request once under opt_in_request on the account’s local day, however often the event comes, and when the business puts it again the next day', async () => {
    const store = new InMemoryAutomationUsageStore();
    // The outbox as the send path keeps it: a key's job, created once, at the clock of its creation.
    const jobs = new Map<string, number>();
    let now = Date.UTC(2026, 11, 6, 23, 31);
    const after = createOptInAfterEvent({
      configs: { get: () => Promise.resolve(AutomationConfigSchema.parse({ optInRequest: { messenger: { title: 'Weekly deals', payload: 'topic:deals', afterEvents: ['order.shipped'] } } })) },
      store: { getPerson: (contact) => Promise.resolve({ ...contact, state: {}, optIns: [] }) },
      sends: {
        send: (_intent, key) => {
          const created = !jobs.has(key);
          if (created) jobs.set(key, now);
          return Promise.resolve({
            created,
            record: { outboxId: `ob_${key}`, createdAt: jobs.get(key) as number },
            decision: { outcome: 'allow', route: 'messenger.opt_in_request', pricing: 'free', rule: 'messenger.opt_in_request' },
          });
        },
      },
      usage: { store, accounts: { get: (a) => Promise.resolve({ ...a, displayName: 'Shop', tokenSecret: 'token', timezone: 'Europe/Amsterdam' }) } },
      clock: () => now,
      logger: new Logger({ logLevel: 'SILENT' }),
    });

    await after(shipped);
    await after(shipped);
    // The shop's retry job puts the same order event again a day later: a new envelope, the same idempotency key.
    now = Date.UTC(2026, 11, 7, 23, 31);
    await after({ ...shipped, id: 'evt-2', time: '2026-12-07T23:30:00Z' });

    expect(await store.tally({ channel: 'messenger', accountId: PAGE }, '2026-12-01', '2026-12-31')).toEqual([
      { day: '2026-12-07', rule: 'opt_in_request', pricing: 'free', market: 'default', count: 1 },
    ]);
  });
});
