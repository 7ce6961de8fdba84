/**
 * Interface under test: the conversion rule's handler (createConversionHandler) on `order.placed`
 * events, with the funnel's and the conversions' in-memory adapters: which message an order is
 * attributed to (last read or click within the window, up to the order), what counts as
 * unattributed, that an order counts once however often it arrives, and that every order a message
 * led to adds its revenue while the message converts once.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { InMemoryConversionRevenue } from '../../../lambdas/adapters/memory/conversion-revenue';
import { InMemoryConversions } from '../../../lambdas/adapters/memory/conversions';
import { InMemoryCustomerDirectory } from '../../../lambdas/adapters/memory/customer-directory';
import { InMemoryFunnelMilestones } from '../../../lambdas/adapters/memory/funnel-milestones';
import { createConversionHandler } from '../../../lambdas/conversions/conversion-handler';
import { DAY_MS } from '../../../lambdas/domain/measurement/attribution';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { loadEvent } from '../../helpers/events';
import { MemoryOutbox } from '../../helpers/memory-outbox';

const PHONE = '109876543210987';
const ANNA = '4915112345678';
const BEN = '4915187654321';
const ORDER_AT = Date.parse('2026-05-21T09:00:00Z');
const HOUR = 3600 * 1000;

const intent = (userId: string): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId,
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'weekly_deals', language: 'de' },
});

const setup = (windowDays = 7) => {
  const outbox = new MemoryOutbox();
  const funnel = new InMemoryFunnelMilestones(outbox);
  const conversions = new InMemoryConversions();
  const directory = new InMemoryCustomerDirectory();
  const handler = createConversionHandler({
    directory,
    touches: funnel,
    milestones: funnel,
    conversions,
    revenue: new InMemoryConversionRevenue(outbox, funnel),
    windowMs: windowDays * DAY_MS,
    clock: () => ORDER_AT + 5000,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  /** A campaign message to `userId` the person then read (or clicked) at `at`. */
  const touched = async (userId: string, occurrence: string, kind: 'read' | 'clicked', at: number): Promise<string> => {
    const { record } = await outbox.create({ idempotencyKey: `weekly-deals#${occurrence}#${userId}`, intent: intent(userId), now: at - HOUR, group: `weekly-deals#${occurrence}` });
    await funnel.record({ outboxId: record.outboxId, milestone: kind, at });
    return record.outboxId;
  };
  return { handler, funnel, conversions, directory, touched };
};

const order = (detail: Record<string, unknown>) => {
  const sample = loadEvent<{ detail: Record<string, unknown> }>('conversions/order-placed.json');
  return { ...sample, detail: { ...sample.detail, occurredAt: new Date(ORDER_AT).toISOString(), ...detail } };
};

describe('order.placed attribution (last touch)', () => {
  it('goes to the message the person last read within the window, with its value', async () => {
    const { handler, funnel, conversions, touched } = setup();
    const older = await touched(ANNA, 'w1', 'read', ORDER_AT - 3 * DAY_MS);
    const latest = await touched(ANNA, 'w2', 'read', ORDER_AT - 2 * HOUR);

    expect(await handler(order({ userId: ANNA, orderId: 'SK-1', value: 49.9, currency: 'EUR' }))).toEqual({ outcome: 'attributed' });

    expect(funnel.has(latest, 'converted')).toBe(true);
    expect(funnel.has(older, 'converted')).toBe(false);
    expect(funnel.tally({ kind: 'campaign', campaignId: 'weekly-deals' }).counts).toMatchObject({ converted: 1, revenue_EUR: 49_900_000 });
    expect(conversions.all()).toEqual([expect.objectContaining({ orderId: 'SK-1', touch: expect.objectContaining({ outboxId: latest, kind: 'read' }) as unknown })]);
  });

  it('goes to a click when it is the latest touch, even after a read of another message', async () => {
    const { handler, funnel, touched } = setup();
    await touched(ANNA, 'w1', 'read', ORDER_AT - 5 * HOUR);
    const clicked = await touched(ANNA, 'w2', 'clicked', ORDER_AT - HOUR);

    await handler(order({ userId: ANNA, orderId: 'SK-2' }));

    expect(funnel.has(clicked, 'converted')).toBe(true);
  });

  it('is unattributed when the last touch is older than the window, and counted for the account and day', async () => {
    const { handler, funnel, conversions, touched } = setup();
    const stale = await touched(ANNA, 'w1', 'read', ORDER_AT - 7 * DAY_MS - 1);

    expect(await handler(order({ userId: ANNA, orderId: 'SK-3', value: 20, currency: 'EUR' }))).toEqual({ outcome: 'unattributed' });

    expect(funnel.has(stale, 'converted')).toBe(false);
    expect(await conversions.unattributed({ channel: 'whatsapp', accountId: PHONE }, '2026-05-21', '2026-05-21')).toEqual([{ day: '2026-05-21', orders: 1, revenue: { EUR: 20 } }]);
  });

  it('counts a touch exactly at the window edge, and follows the stage setting for the window', async () => {
    const week = setup();
    const edge = await week.touched(ANNA, 'w1', 'read', ORDER_AT - 7 * DAY_MS);
    expect(await week.handler(order({ userId: ANNA, orderId: 'SK-4' }))).toEqual({ outcome: 'attributed' });
    expect(week.funnel.has(edge, 'converted')).toBe(true);

    const oneDay = setup(1);
    await oneDay.touched(ANNA, 'w1', 'read', ORDER_AT - 2 * DAY_MS);
    expect(await oneDay.handler(order({ userId: ANNA, orderId: 'SK-4' }))).toEqual({ outcome: 'unattributed' });
  });

  it('ignores a read after the order: it did not lead to it', async () => {
    const { handler, touched } = setup();
    await touched(ANNA, 'w1', 'read', ORDER_AT + 10 * 60_000);

    expect(await handler(order({ userId: ANNA, orderId: 'SK-5' }))).toEqual({ outcome: 'unattributed' });
  });

  it('goes to the touch before the order when the person clicked another message after it', async () => {
    // Prepare: a read two hours before the order, a click ten minutes after it (the shop posts late)
    const { handler, funnel, touched } = setup();
    const before = await touched(ANNA, 'w1', 'read', ORDER_AT - 2 * HOUR);
    const after = await touched(ANNA, 'w2', 'clicked', ORDER_AT + 10 * 60_000);

    // Act
    const answer = await handler(order({ userId: ANNA, orderId: 'SK-5b' }));

    // Assess
    expect(answer).toEqual({ outcome: 'attributed' });
    expect(funnel.has(before, 'converted')).toBe(true);
    expect(funnel.has(after, 'converted')).toBe(false);
  });

  it('adds every order a message led to: converted counts the message once, revenue sums the orders', async () => {
    // Prepare
    const { handler, funnel, conversions, touched } = setup();
    const read = await touched(ANNA, 'w1', 'read', ORDER_AT - HOUR);

    // Act: two orders after the same read, the second one posted twice
    const first = await handler(order({ userId: ANNA, orderId: 'SK-20', value: 49.9, currency: 'EUR' }));
    const second = await handler(order({ userId: ANNA, orderId: 'SK-21', value: 20.1, currency: 'EUR' }));
    const again = await handler(order({ userId: ANNA, orderId: 'SK-21', value: 20.1, currency: 'EUR' }));

    // Assess
    expect([first, second, again]).toEqual([{ outcome: 'attributed' }, { outcome: 'attributed' }, { outcome: 'duplicate' }]);
    expect(funnel.tally({ kind: 'campaign', campaignId: 'weekly-deals' }).counts).toMatchObject({ converted: 1, revenue_EUR: 70_000_000 });
    expect(conversions.all().map((c) => [c.orderId, c.touch?.outboxId])).toEqual([
      ['SK-20', read],
      ['SK-21', read],
    ]);
  });

  it('counts an order posted twice once: one conversion, one unattributed count', async () => {
    const attributed = setup();
    const read = await attributed.touched(ANNA, 'w1', 'read', ORDER_AT - HOUR);
    const event = order({ userId: ANNA, orderId: 'SK-6', value: 10, currency: 'EUR' });
    expect(await attributed.handler(event)).toEqual({ outcome: 'attributed' });
    expect(await attributed.handler({ ...event, id: 'another-delivery' })).toEqual({ outcome: 'duplicate' });
    expect(attributed.funnel.tally({ kind: 'campaign', campaignId: 'weekly-deals' }).counts).toMatchObject({ converted: 1, revenue_EUR: 10_000_000 });
    expect(attributed.funnel.has(read, 'converted')).toBe(true);
    expect(attributed.conversions.all()).toHaveLength(1);

    const unattributed = setup();
    await unattributed.handler(order({ userId: BEN, orderId: 'SK-7', value: 5, currency: 'USD' }));
    await unattributed.handler(order({ userId: BEN, orderId: 'SK-7', value: 5, currency: 'USD' }));
    expect(await unattributed.conversions.unattributed({ channel: 'whatsapp', accountId: PHONE }, '2026-05-20', '2026-05-22')).toEqual([
      { day: '2026-05-21', orders: 1, revenue: { USD: 5 } },
    ]);
  });

  it('keeps the first attribution when a redelivery would decide otherwise', async () => {
    const { handler, funnel, touched } = setup();
    const first = await touched(ANNA, 'w1', 'read', ORDER_AT - HOUR);
    await handler(order({ userId: ANNA, orderId: 'SK-8' }));
    // A click that arrives after the order was kept, though it happened before the order, doesn't move it.
    const later = await touched(ANNA, 'w2', 'clicked', ORDER_AT - 30 * 60_000);

    expect(await handler(order({ userId: ANNA, orderId: 'SK-8' }))).toEqual({ outcome: 'duplicate' });
    expect(funnel.has(first, 'converted')).toBe(true);
    expect(funnel.has(later, 'converted')).toBe(false);
  });

  it('resolves a customer key to the contacts carrying it and takes the latest touch across them', async () => {
    const { handler, funnel, directory, touched } = setup();
    directory.add({ channel: 'whatsapp', accountId: PHONE, userId: ANNA }, 'customer_id', 'C-1042').add({ channel: 'whatsapp', accountId: PHONE, userId: BEN }, 'customer_id', 'C-1042');
    await touched(ANNA, 'w1', 'read', ORDER_AT - 3 * HOUR);
    const bens = await touched(BEN, 'w1', 'read', ORDER_AT - HOUR);

    expect(await handler(order({ userId: undefined, customer: { attribute: 'customer_id', value: 'C-1042' }, orderId: 'SK-9' }))).toEqual({ outcome: 'attributed' });
    expect(funnel.has(bens, 'converted')).toBe(true);
  });

  it('counts an order whose customer key nobody carries as unattributed', async () => {
    const { handler, conversions } = setup();

    expect(await handler(order({ userId: undefined, customer: { attribute: 'customer_id', value: 'C-0000' }, orderId: 'SK-10' }))).toEqual({ outcome: 'unattributed' });
    expect(conversions.all()).toEqual([expect.not.objectContaining({ contact: expect.anything() as unknown })]);
  });

  it('refuses an event that names no customer, or names it twice, and says which field', async () => {
    const { handler } = setup();
    await expect(handler(order({ userId: undefined, orderId: 'SK-11' }))).rejects.toThrow('detail.customer name the customer by userId or by customer');
    await expect(handler(order({ customer: { attribute: 'customer_id', value: 'C-1' }, orderId: 'SK-11' }))).rejects.toThrow('detail.customer');
    await expect(handler(order({ currency: 'euro', orderId: 'SK-11' }))).rejects.toThrow('detail.currency');
  });
});
