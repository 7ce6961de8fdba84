/**
 * Interface under test: the local business bus (createLocalEventBus) with the conversion rule's
 * target: an `order.placed` reaches the conversion handler, never the dispatcher, in EventBridge's
 * envelope; one that doesn't parse is a failed entry naming the field.
 */
import { entryFromEvent, createLocalEventBus } from '../../../lambdas/local/local-event-bus';
import type { BusinessEvent } from '../../../lambdas/schemas/business-event';
import type { OrderPlacedEvent } from '../../../lambdas/schemas/order-placed';
import { listEvents, loadEvent } from '../../helpers/events';

const bus = () => {
  const dispatched: BusinessEvent[] = [];
  const converted: OrderPlacedEvent[] = [];
  const eventBus = createLocalEventBus({
    clock: () => Date.parse('2026-05-21T10:00:00.250Z'),
    deliver: (event) => {
      dispatched.push(event);
      return Promise.resolve();
    },
    convert: (event) => {
      converted.push(event);
      return Promise.resolve();
    },
  });
  return { eventBus, dispatched, converted };
};

describe('order.placed on the local bus', () => {
  it.each(listEvents('conversions'))('%s goes to the conversion handler, not the dispatcher', async (path) => {
    const sample = loadEvent<{ detail: unknown }>(path);
    const { eventBus, dispatched, converted } = bus();

    const result = await eventBus.putEvents([entryFromEvent(sample)]);

    expect(result.FailedEntryCount).toBe(0);
    expect(dispatched).toEqual([]);
    expect(converted).toEqual([expect.objectContaining({ 'detail-type': 'order.placed', time: '2026-05-21T10:00:00Z', detail: sample.detail })]);
    expect(eventBus.events()).toHaveLength(1);
  });

  it('refuses an order.placed without a currency, naming the field, and delivers nothing', async () => {
    const sample = loadEvent<{ detail: Record<string, unknown> }>('conversions/order-placed.json');
    const { eventBus, dispatched, converted } = bus();

    const result = await eventBus.putEvents([entryFromEvent({ ...sample, detail: { ...sample.detail, currency: undefined } })]);

    expect(result).toEqual({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('currency') as unknown }] });
    expect([...dispatched, ...converted]).toEqual([]);
  });
});
