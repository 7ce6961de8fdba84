/**
 * Interface under test: EventBridgeBusinessBus over the SDK's PutEvents (aws-sdk-client-mock): the
 * entries it puts, and a refusal; and the lazy PutEvents the webhook and the redirect use, which
 * connects on the first put only (their cold start doesn't load the SDK).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgeBusinessBus, lazyPutEvents, type PutEvents, sdkPutEvents } from '../../../lambdas/adapters/eventbridge/business-bus';
import type { BusinessBusEvent } from '../../../lambdas/domain/automation/rule';

const eventBridge = mockClient(EventBridgeClient);
const BUS = 'afterchat-dev-business';

const bus = () => new EventBridgeBusinessBus({ putEvents: sdkPutEvents(new EventBridgeClient({ region: 'eu-central-1' }), PutEventsCommand), busName: BUS });

const handoff = (userId: string): BusinessBusEvent => ({
  detailType: 'handoff.requested',
  detail: { channel: 'messenger', accountId: '1353269864728879', userId, eventKey: `messenger#mid.${userId}` },
});

beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) =>
    Promise.resolve({ FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e-${i}` })) }),
  );
});

describe('EventBridgeBusinessBus', () => {
  it('puts each event on the named bus, from afterchat.automation, with its detail as JSON', async () => {
    await bus().put([handoff('6254481371233015')]);

    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Entries: [
          {
            EventBusName: BUS,
            Source: 'afterchat.automation',
            DetailType: 'handoff.requested',
            Detail: JSON.stringify({ channel: 'messenger', accountId: '1353269864728879', userId: '6254481371233015', eventKey: 'messenger#mid.6254481371233015' }),
          },
        ],
      },
    ]);
  });

  it('puts more than ten events in calls of ten, as PutEvents takes them', async () => {
    await bus().put(Array.from({ length: 23 }, (_, i) => handoff(`u${i}`)));

    const calls = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((e) => (JSON.parse(e.Detail ?? '{}') as { userId: string }).userId)).toEqual(Array.from({ length: 23 }, (_, i) => `u${i}`));
  });

  it('throws naming the refused entry, so the hand-off is retried (at least once)', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }, { EventId: 'e-1' }],
    });

    await expect(bus().put([handoff('a'), handoff('b')])).rejects.toThrow(
      'EventBridge refused 1 of 2 events on afterchat-dev-business: handoff.requested: ThrottlingException (Rate exceeded)',
    );
  });

  it('lets an SDK error through', async () => {
    eventBridge.on(PutEventsCommand).rejects(new Error('AccessDeniedException'));
    await expect(bus().put([handoff('a')])).rejects.toThrow('AccessDeniedException');
  });
});

describe('lazyPutEvents', () => {
  const accepted: PutEvents = (entries) => Promise.resolve({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `e-${i}` })) });

  it('connects on the first put, once, and not at all when nothing is put', async () => {
    // Prepare
    let connects = 0;
    const connect = () => {
      connects += 1;
      return Promise.resolve(accepted);
    };
    const idle = new EventBridgeBusinessBus({ putEvents: lazyPutEvents(connect), busName: BUS });
    const busy = new EventBridgeBusinessBus({ putEvents: lazyPutEvents(connect), busName: BUS });

    // Act
    await idle.put([]);
    const beforeFirstPut = connects;
    await busy.put([handoff('a')]);
    await busy.put([handoff('b')]);

    // Assess
    expect([beforeFirstPut, connects]).toEqual([0, 1]);
  });

  it('connects again on the next put after a failed connect', async () => {
    // Prepare
    const outcomes = [Promise.reject(new Error('module not found')), Promise.resolve(accepted)];
    const bus = new EventBridgeBusinessBus({ putEvents: lazyPutEvents(() => outcomes.shift() as Promise<PutEvents>), busName: BUS });

    // Act + Assess
    await expect(bus.put([handoff('a')])).rejects.toThrow('module not found');
    await expect(bus.put([handoff('a')])).resolves.toBeUndefined();
  });
});
