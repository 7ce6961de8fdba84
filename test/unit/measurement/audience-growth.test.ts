/** Interface under test: what moves the growth counters: automation's keyword and consent writes (inbound-growth.ts) and Meta's opt-in events (webhook/count-growth.ts). */
import { InMemoryMeasurementCounters } from '../../../lambdas/adapters/memory/measurement-counters';
import { planKeyword, type AutomationInbound, keywordOptOutOf } from '../../../lambdas/domain/automation/keyword-opt-out';
import type { OptInEvent } from '../../../lambdas/domain/events';
import { growthDay } from '../../../lambdas/domain/measurement/audience-growth';
import { inboundGrowthCounters } from '../../../lambdas/domain/measurement/inbound-growth';
import { countWebhookGrowth } from '../../../lambdas/webhook/count-growth';
import { PAGE, PHONE } from '../../helpers/sample-ids';

const AT = Date.UTC(2026, 11, 6, 10);
const inbound = (text: string, eventKey: string, at = AT): AutomationInbound => ({ eventKey, occurredAt: at, contact: { channel: 'whatsapp', accountId: PHONE, userId: '4915100000001' }, text });

/** The state the keyword's register write leaves, as the store merges it. */
const after = (event: AutomationInbound, state: Record<string, unknown> = {}) => {
  const write = planKeyword(event, keywordOptOutOf(state))!.write;
  return { ...state, ...write.fields, [`${write.register}Order`]: write.order };
};
const countersFor = (event: AutomationInbound, state: Record<string, unknown> = {}) => {
  const plan = planKeyword(event, keywordOptOutOf(state));
  return inboundGrowthCounters(event, state, plan ? [plan.write] : []);
};

describe('growth from what a person writes', () => {
  it('counts a STOP that opts the person out, and its redelivery under the same event key', () => {
    const stop = inbound('STOP', 'e1');

    expect(countersFor(stop)).toEqual(['optOut_keyword']);
    expect(countersFor(stop, after(stop))).toEqual(['optOut_keyword']);
  });

  it('counts nothing for a second STOP, a START of someone never opted out, or an older keyword than the one stored', () => {
    const stop = inbound('STOP', 'e1');
    const start = inbound('START', 'e2', AT + 1000);

    expect(countersFor(inbound('STOP', 'e3', AT + 2000), after(stop))).toEqual([]);
    expect(countersFor(start)).toEqual([]);
    expect(countersFor(stop, after(start, after(inbound('STOP', 'e0', AT - 1000))))).toEqual([]);
    expect(countersFor(start, after(stop))).toEqual(['optIn_marketing']);
  });
});

describe('growth from Meta’s opt-in events', () => {
  const optIn = (change: OptInEvent['change'], eventKey: string, payload?: string): OptInEvent => ({
    type: 'opt_in',
    eventKey,
    occurredAt: AT,
    contact: { channel: 'messenger', accountId: PAGE, userId: '7000000000000001' },
    token: 'tok',
    change,
    ...(payload === undefined ? {} : { payload }),
  });

  it('counts a Messenger opt-in by its topic and a stop as messenger_stop, each event once, on registered accounts only', async () => {
    const counters = new InMemoryMeasurementCounters();
    const registry = { list: () => Promise.resolve([{ channel: 'messenger' as const, accountId: PAGE, displayName: 'Shop', tokenSecret: 'x', timezone: 'Europe/Berlin' }]) };
    const unregistered = { ...optIn('opt_in', 'e9', 'deals'), contact: { channel: 'messenger' as const, accountId: '999', userId: '1' } };

    await countWebhookGrowth(counters, registry, [optIn('opt_in', 'e1', 'deals'), optIn('stop', 'e2'), unregistered]);
    await countWebhookGrowth(counters, registry, [optIn('opt_in', 'e1', 'deals')]);

    expect((await counters.days({ channel: 'messenger', accountId: PAGE }, '2026-12-06', '2026-12-06')).map(growthDay)).toEqual([
      { day: '2026-12-06', newContacts: 0, optIns: { deals: 1 }, optOuts: { messenger_stop: 1 }, net: 0 },
    ]);
  });
});
