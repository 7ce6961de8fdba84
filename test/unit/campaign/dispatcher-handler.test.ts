/**
 * Interface under test: the campaign dispatcher's Lambda handler (createDispatcherHandler) with a fake
 * Dispatcher: which input reaches which use case, the remaining time it is given, SQS partial batch
 * responses, and what an invalid input logs.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Dispatcher } from '../../../lambdas/campaign/dispatcher';
import { createDispatcherHandler } from '../../../lambdas/campaign/dispatcher-handler';
import type { RemainingTime } from '../../../lambdas/campaign/run-occurrence';
import { captureLogs } from '../../helpers/capture-logs';
import { loadEvent } from '../../helpers/events';

const fakeDispatcher = () => ({
  onFiring: jest.fn<ReturnType<Dispatcher['onFiring']>, Parameters<Dispatcher['onFiring']>>().mockResolvedValue('done'),
  onContinuation: jest.fn<ReturnType<Dispatcher['onContinuation']>, Parameters<Dispatcher['onContinuation']>>().mockResolvedValue('done'),
  onBusinessEvent: jest.fn<ReturnType<Dispatcher['onBusinessEvent']>, Parameters<Dispatcher['onBusinessEvent']>>().mockResolvedValue({
    outboxId: 'ob-1',
    created: true,
    decision: { outcome: 'allow', route: 'whatsapp.template', pricing: 'utility', rule: 'whatsapp.template' },
  }),
});

const setup = (logLevel: 'SILENT' | 'DEBUG' = 'SILENT') => {
  const dispatcher = fakeDispatcher();
  const handler = createDispatcherHandler(dispatcher, new Logger({ logLevel }));
  return { dispatcher, handler };
};

/** A Lambda context whose clock the test sets. */
const lambdaContext = (remaining: { ms: number }): Context => ({
  functionName: 'afterchat-campaign-dispatcher',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:afterchat-campaign-dispatcher',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/afterchat-campaign-dispatcher',
  logStreamName: '2026/05/18/[$LATEST]abc',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => remaining.ms,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const sqsRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `receipt-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1779098400000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1779098400001',
  },
  messageAttributes: {},
  md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-central-1:123456789012:afterchat-dispatch',
  awsRegion: 'eu-central-1',
});

const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

const continuation = (campaignId: string, occurrenceKey = '2026-11-27T09:00:00.000Z', handoverToken?: string) =>
  JSON.stringify({ campaignId, occurrenceKey, ...(handoverToken === undefined ? {} : { handoverToken }) });

describe('dispatcher handler: a schedule’s firing', () => {
  it('runs the firing with the time Lambda has left, read when asked, and answers its outcome', async () => {
    const { dispatcher, handler } = setup();
    dispatcher.onFiring.mockResolvedValue('handed_over');
    const remaining = { ms: 840_000 };

    const result = await handler({ campaignId: 'black-friday-2026', firingAt: '2026-11-27T09:00:00Z' }, lambdaContext(remaining));

    expect(result).toEqual({ outcome: 'handed_over' });
    expect(dispatcher.onFiring).toHaveBeenCalledTimes(1);
    const [firing, remainingMs] = dispatcher.onFiring.mock.calls[0] as [unknown, RemainingTime];
    expect(firing).toEqual({ campaignId: 'black-friday-2026', firingAt: '2026-11-27T09:00:00Z' });
    expect(remainingMs()).toBe(840_000);
    remaining.ms = 55_000;
    expect(remainingMs()).toBe(55_000);
    expect(dispatcher.onContinuation).not.toHaveBeenCalled();
    expect(dispatcher.onBusinessEvent).not.toHaveBeenCalled();
  });

  it('never runs out of time outside Lambda, where there is no context', async () => {
    const { dispatcher, handler } = setup();
    await handler({ campaignId: 'black-friday-2026', firingAt: '2026-11-27T10:00:00+01:00' });
    const [firing, remainingMs] = dispatcher.onFiring.mock.calls[0] as [unknown, RemainingTime];
    expect(firing).toEqual({ campaignId: 'black-friday-2026', firingAt: '2026-11-27T10:00:00+01:00' });
    expect(remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('dispatcher handler: a business event', () => {
  it('hands an order.shipped event to the business-event use case and answers the send decision', async () => {
    const { dispatcher, handler } = setup();
    const event = loadEvent('eventbridge/order-shipped.json');

    const result = await handler(event, lambdaContext({ ms: 60_000 }));

    expect(result).toEqual({ outcome: 'allow' });
    expect(dispatcher.onBusinessEvent).toHaveBeenCalledTimes(1);
    expect(dispatcher.onBusinessEvent.mock.calls[0]?.[0]).toMatchObject({
      'detail-type': 'order.shipped',
      source: 'com.sampleshop.orders',
      detail: { channel: 'whatsapp', userId: '4915112345678', template: { name: 'order_shipped', language: 'de' }, idempotencyKey: 'order-SK-1042-shipped' },
    });
    expect(dispatcher.onFiring).not.toHaveBeenCalled();
  });

  it('answers a refused send with its outcome rather than failing', async () => {
    const { dispatcher, handler } = setup();
    dispatcher.onBusinessEvent.mockResolvedValue({
      outboxId: 'ob-2',
      created: true,
      decision: { outcome: 'refuse', reason: 'template_not_approved', rule: 'whatsapp.template', detail: 'not approved' },
    });
    expect(await handler(loadEvent('eventbridge/order-shipped.json'))).toEqual({ outcome: 'refuse' });
  });

  it('refuses a business event whose detail is invalid, naming the field', async () => {
    const { dispatcher, handler } = setup();
    const event = loadEvent<{ detail: Record<string, unknown> }>('eventbridge/order-shipped.json');
    event.detail.accountId = 'not-a-number';
    await expect(handler(event)).rejects.toThrow(/^invalid business event: detail\.accountId /);
    expect(dispatcher.onBusinessEvent).not.toHaveBeenCalled();
  });
});

describe('dispatcher handler: continuation messages', () => {
  it('carries on with each occurrence a message names, with the time Lambda has left', async () => {
    const { dispatcher, handler } = setup();
    const remaining = { ms: 300_000 };
    const event = sqsEvent(
      sqsRecord('m-1', continuation('black-friday-2026')),
      sqsRecord('m-2', continuation('weekly-deals', '2026-05-18T10:00:00.000Z', 'lease-7')),
    );

    const result = await handler(event, lambdaContext(remaining));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(dispatcher.onContinuation).toHaveBeenCalledTimes(2);
    const messages = dispatcher.onContinuation.mock.calls.map(([message]) => message);
    expect(messages).toEqual(
      expect.arrayContaining([
        { campaignId: 'black-friday-2026', occurrenceKey: '2026-11-27T09:00:00.000Z' },
        { campaignId: 'weekly-deals', occurrenceKey: '2026-05-18T10:00:00.000Z', handoverToken: 'lease-7' },
      ]),
    );
    const remainingMs = dispatcher.onContinuation.mock.calls[0]?.[1] as RemainingTime;
    expect(remainingMs()).toBe(300_000);
    expect(dispatcher.onFiring).not.toHaveBeenCalled();
  });

  it('carries one segment of a fanned-out occurrence on, and refuses a segment number out of range', async () => {
    const { dispatcher, handler } = setup();
    const segment = (n: unknown) => JSON.stringify({ campaignId: 'black-friday-2026', occurrenceKey: '2026-11-27T09:00:00.000Z', segment: n, handoverToken: 'lease-3' });
    const result = await handler(sqsEvent(sqsRecord('seg-3', segment(3)), sqsRecord('seg-bad', segment(64)), sqsRecord('seg-half', segment(1.5))), lambdaContext({ ms: 300_000 }));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'seg-bad' }, { itemIdentifier: 'seg-half' }] });
    expect(dispatcher.onContinuation.mock.calls.map(([message]) => message)).toEqual([
      { campaignId: 'black-friday-2026', occurrenceKey: '2026-11-27T09:00:00.000Z', segment: 3, handoverToken: 'lease-3' },
    ]);
  });

  it('reports only the malformed and the failing messages, so SQS retries just those', async () => {
    const { dispatcher, handler } = setup();
    dispatcher.onContinuation.mockImplementation((message) =>
      message.campaignId === 'flaky-campaign' ? Promise.reject(new Error('ProvisionedThroughputExceededException')) : Promise.resolve('done'),
    );
    const event = sqsEvent(
      sqsRecord('ok-1', continuation('black-friday-2026')),
      sqsRecord('not-json', '{"campaignId": "black-friday-2026", '),
      sqsRecord('bad-id', continuation('Black_Friday!')),
      sqsRecord('bad-key', JSON.stringify({ campaignId: 'weekly-deals', occurrenceKey: 'yesterday' })),
      sqsRecord('failing', continuation('flaky-campaign')),
      sqsRecord('ok-2', continuation('weekly-deals')),
    );

    const result = await handler(event, lambdaContext({ ms: 300_000 }));

    expect(result).toEqual({
      batchItemFailures: expect.arrayContaining([
        { itemIdentifier: 'not-json' },
        { itemIdentifier: 'bad-id' },
        { itemIdentifier: 'bad-key' },
        { itemIdentifier: 'failing' },
      ]) as unknown,
    });
    expect((result as { batchItemFailures: unknown[] }).batchItemFailures).toHaveLength(4);
    const reached = dispatcher.onContinuation.mock.calls.map(([message]) => message.campaignId).sort();
    expect(reached).toEqual(['black-friday-2026', 'flaky-campaign', 'weekly-deals']);
  });

  it('fails the invocation when every message of the batch fails', async () => {
    const { dispatcher, handler } = setup();
    await expect(handler(sqsEvent(sqsRecord('bad-1', 'nope'), sqsRecord('bad-2', continuation('X'))), lambdaContext({ ms: 300_000 }))).rejects.toThrow(
      /All records failed processing/,
    );
    expect(dispatcher.onContinuation).not.toHaveBeenCalled();
  });
});

describe('dispatcher handler: invalid firings', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it('throws naming the bad campaign id, and logs its path without its value', async () => {
    const { dispatcher, handler } = setup('DEBUG');
    await expect(handler({ campaignId: 'Secret_Campaign_Name', firingAt: '2026-11-27T09:00:00Z' })).rejects.toThrow(
      /^invalid campaign firing: campaignId a campaign id$/,
    );
    expect(dispatcher.onFiring).not.toHaveBeenCalled();
    const output = logs.lines.join('\n');
    expect(output).toContain('invalid campaign firing');
    expect(output).toContain('campaignId');
    expect(output).not.toContain('Secret_Campaign_Name');
  });

  it('throws naming a missing firingAt, and logs its path', async () => {
    const { dispatcher, handler } = setup('DEBUG');
    await expect(handler({ campaignId: 'black-friday-2026' })).rejects.toThrow(/^invalid campaign firing: firingAt /);
    expect(dispatcher.onFiring).not.toHaveBeenCalled();
    const output = logs.lines.join('\n');
    expect(output).toContain('invalid campaign firing');
    expect(output).toContain('firingAt');
  });

  it('names every wrong field, and logs none of their values', async () => {
    const { handler } = setup('DEBUG');
    const error = (await handler({ campaignId: 'x', firingAt: 'next tuesday at 9' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/campaignId/);
    expect(error.message).toMatch(/firingAt/);
    expect(logs.lines.join('\n')).not.toContain('next tuesday');
  });

  it('refuses an input that is none of the three, rather than dropping it', async () => {
    const { dispatcher, handler } = setup();
    await expect(handler({ hello: 'world' })).rejects.toThrow(/^invalid campaign firing: /);
    await expect(handler(null)).rejects.toThrow(/^invalid campaign firing: \(root\) /);
    expect(dispatcher.onFiring).not.toHaveBeenCalled();
  });
});
