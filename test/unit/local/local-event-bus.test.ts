/** Interface under test: createLocalEventBus (PutEvents on the local business bus) and entryFromEvent (samples back into entries). */
import { createLocalEventBus, entryFromEvent, type PutEventsEntry } from '../../../lambdas/local/local-event-bus';
import type { BusinessEvent } from '../../../lambdas/schemas/business-event';
import { listEvents, loadEvent } from '../../helpers/events';

const NOW = Date.parse('2026-11-21T10:00:00.123Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const bus = (options: { accountId?: string; region?: string; deliver?: (event: BusinessEvent) => Promise<void> } = {}) => {
  const delivered: BusinessEvent[] = [];
  const eventBus = createLocalEventBus({
    clock: () => NOW,
    deliver: options.deliver ?? ((event) => Promise.resolve(void delivered.push(event))),
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  return { eventBus, delivered };
};

const shipped = (): PutEventsEntry => entryFromEvent(loadEvent('eventbridge/order-shipped.json'));

const withDetail = (change: (detail: Record<string, unknown>) => void): PutEventsEntry => {
  const entry = shipped();
  const detail = JSON.parse(entry.Detail) as Record<string, unknown>;
  change(detail);
  return { ...entry, Detail: JSON.stringify(detail) };
};

describe('entryFromEvent', () => {
  it('turns a full event back into the entry it was put with', () => {
    const sample = loadEvent<{ detail: unknown }>('eventbridge/order-shipped.json');
    expect(entryFromEvent(sample)).toEqual({ Source: 'com.sampleshop.orders', DetailType: 'order.shipped', Detail: JSON.stringify(sample.detail) });
  });

  it('refuses what is not an EventBridge event', () => {
    expect(() => entryFromEvent({ source: 'x', detail: {} })).toThrow('not an EventBridge event');
    expect(() => entryFromEvent({ source: 'x', 'detail-type': 'y', detail: 'text' })).toThrow('not an EventBridge event');
  });
});

describe('createLocalEventBus', () => {
  const samples = listEvents('eventbridge');

  it('has samples to post', () => {
    expect(samples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(samples)('%s is accepted and delivered in an EventBridge envelope', async (path) => {
    const sample = loadEvent<Record<string, unknown>>(path);
    const { eventBus, delivered } = bus();

    const result = await eventBus.putEvents([entryFromEvent(sample)]);

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toEqual([{ EventId: expect.stringMatching(UUID) as unknown }]);
    expect(delivered).toEqual([
      {
        version: '0',
        id: (result.Entries[0] as { EventId: string }).EventId,
        'detail-type': sample['detail-type'],
        source: sample.source,
        account: '000000000000',
        // EventBridge's own format: to the second, no milliseconds.
        time: '2026-11-21T10:00:00Z',
        region: 'local',
        resources: [],
        detail: sample.detail,
      },
    ]);
  });

  it('stamps the account and region it is given, and a new id on every event', async () => {
    const { eventBus, delivered } = bus({ accountId: '123456789012', region: 'eu-central-1' });

    await eventBus.putEvents([shipped(), shipped()]);

    expect(delivered.map((e) => [e.account, e.region])).toEqual([
      ['123456789012', 'eu-central-1'],
      ['123456789012', 'eu-central-1'],
    ]);
    expect(delivered[0]?.id).not.toBe(delivered[1]?.id);
  });

  it('fails an entry without a userId with InvalidArgument naming the field, and delivers the rest', async () => {
    const { eventBus, delivered } = bus();

    const result = await eventBus.putEvents([withDetail((d) => delete d.userId), shipped()]);

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries[0]).toEqual({ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('detail.userId: ') as unknown });
    expect(result.Entries[1]).toEqual({ EventId: expect.stringMatching(UUID) as unknown });
    expect(delivered.map((e) => e.detail.userId)).toEqual(['4915112345678']);
  });

  it('lists every issue of an entry', async () => {
    const { eventBus } = bus();

    const result = await eventBus.putEvents([{ ...withDetail((d) => (d.channel = 'sms')), DetailType: '' }]);

    const entry = result.Entries[0] as { ErrorCode: string; ErrorMessage: string };
    expect(entry.ErrorCode).toBe('InvalidArgument');
    expect(entry.ErrorMessage).toContain('detail-type: ');
    expect(entry.ErrorMessage).toContain('detail.channel: ');
  });

  it('fails an entry whose Detail is not JSON with MalformedDetail, as EventBridge does, and delivers nothing', async () => {
    const { eventBus, delivered } = bus();

    const result = await eventBus.putEvents([{ ...shipped(), Detail: '{"channel": "whatsapp",' }]);

    expect(result).toEqual({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON.' }] });
    expect(delivered).toEqual([]);
  });

  it('refuses a call with no entries or more than PutEvents takes', async () => {
    const { eventBus } = bus();
    await expect(eventBus.putEvents([])).rejects.toThrow('PutEvents takes 1 to 10 entries, got 0');
    await expect(eventBus.putEvents(Array.from({ length: 11 }, shipped))).rejects.toThrow('got 11');
  });

  it("keeps afterchat's own events for events() and never gives them to the dispatcher: they are no send requests", async () => {
    const { eventBus, delivered } = bus();
    const detail = { channel: 'messenger', accountId: '1353269864728879', userId: '6254481371233015', eventKey: 'messenger#mid.1' };

    const result = await eventBus.putEvents([{ Source: 'afterchat.automation', DetailType: 'handoff.requested', Detail: JSON.stringify(detail) }, shipped()]);

    expect(result.FailedEntryCount).toBe(0);
    expect(delivered.map((e) => e['detail-type'])).toEqual(['order.shipped']);
    expect(eventBus.events().map((e) => [e.source, e['detail-type']])).toEqual([
      ['afterchat.automation', 'handoff.requested'],
      ['com.sampleshop.orders', 'order.shipped'],
    ]);
    expect(eventBus.events()[0]).toEqual({
      version: '0',
      id: (result.Entries[0] as { EventId: string }).EventId,
      'detail-type': 'handoff.requested',
      source: 'afterchat.automation',
      account: '000000000000',
      time: '2026-11-21T10:00:00Z',
      region: 'local',
      resources: [],
      detail,
    });
  });

  it('fails an own event whose detail is not a JSON object, as EventBridge does', async () => {
    const { eventBus } = bus();

    const result = await eventBus.putEvents([{ Source: 'afterchat.automation', DetailType: 'handoff.requested', Detail: '"text"' }]);

    expect(result.Entries[0]).toEqual({ ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('detail: ') as unknown });
    expect(eventBus.events()).toEqual([]);
  });

  it('rejects when a delivery fails: locally nothing retries it', async () => {
    const { eventBus } = bus({ deliver: () => Promise.reject(new Error('dispatcher down')) });
    await expect(eventBus.putEvents([shipped()])).rejects.toThrow('dispatcher down');
  });
});
