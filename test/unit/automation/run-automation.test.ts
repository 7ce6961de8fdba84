/**
 * Interface under test: the automation use case (createAutomation) and the automation queue's SQS
 * consumer, with the register model as storage and a recording send path keyed like the outbox.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { mergeContactStates } from '../../../lambdas/adapters/dynamodb/contact-merge';
import { type AutomationDeps, createAutomation } from '../../../lambdas/automation/run-automation';
import { createSqsAutomationHandler } from '../../../lambdas/automation/sqs-automation-handler';
import { CONFIRMATIONS } from '../../../lambdas/domain/automation/confirmations';
import { type AutomationInbound, keywordOptOutOf } from '../../../lambdas/domain/automation/keyword-opt-out';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import { toHandOff } from '../../../lambdas/schemas/automation-hand-off';
import { RegisterModel } from '../../helpers/register-model';

const PERSON: ContactRef = { channel: 'messenger', accountId: '1234567890123456', userId: '6543210987654321' };
const T0 = Date.UTC(2026, 11, 6, 10);
const inbound = (n: number, text: string): AutomationInbound => ({ eventKey: `messenger#${PERSON.accountId}#mid#m_${n}`, occurredAt: T0 + n * 1000, contact: PERSON, text });

const setup = (configs: AutomationDeps['configs'] = { get: () => Promise.resolve(undefined) }) => {
  const model = new RegisterModel();
  const jobs = new Map<string, SendIntent>();
  const sendAttempts = { failNext: false };
  const run = createAutomation({
    store: {
      getPerson: () => Promise.resolve(model.items.size === 0 ? undefined : { ...PERSON, state: mergeContactStates([...model.items.values()]), optIns: [] }),
      apply: (writes) => Promise.resolve(model.applyWrites(writes)),
    },
    sends: {
      send: (intent, idempotencyKey) => {
        if (sendAttempts.failNext) {
          sendAttempts.failNext = false;
          return Promise.reject(new Error('outbox unavailable'));
        }
        const created = !jobs.has(idempotencyKey);
        if (created) jobs.set(idempotencyKey, intent);
        return Promise.resolve({ created, record: { outboxId: `ob_${idempotencyKey}` }, decision: { outcome: 'allow', route: 'messenger.response', pricing: 'free', rule: 'messenger.window.standard' } });
      },
    },
    configs,
    accounts: { get: (a) => Promise.resolve({ ...a, displayName: 'Shop', tokenSecret: 'token', timezone: 'Europe/Amsterdam' }) },
    clock: () => T0 + 60_000,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const optedOut = () => keywordOptOutOf(mergeContactStates([...model.items.values()]))?.optedOut;
  return { run, jobs, sendAttempts, optedOut };
};

describe('automation for one hand-off', () => {
  it("runs one person's keywords in Meta's order, whatever their order in the hand-off, and confirms each change", async () => {
    const { run, jobs, optedOut } = setup();
    await run([inbound(2, 'START'), inbound(1, 'STOP')]);
    expect([...jobs.values()].map((i) => i.content)).toEqual([
      { type: 'text', text: CONFIRMATIONS.en.stop },
      { type: 'text', text: CONFIRMATIONS.en.start },
    ]);
    expect(optedOut()).toBe(false);
  });

  it('a send that fails fails the hand-off; its redelivery writes the same and makes one job', async () => {
    const { run, jobs, sendAttempts, optedOut } = setup();
    sendAttempts.failNext = true;
    await expect(run([inbound(1, 'Stop.')])).rejects.toThrow('outbox unavailable');
    expect(optedOut()).toBe(true);
    await run([inbound(1, 'Stop.')]);
    await run([inbound(1, 'Stop.')]);
    expect([...jobs.keys()]).toEqual([`automation#keyword#${inbound(1, '').eventKey}`]);
  });
});

describe('the automation queue consumer', () => {
  const record = (messageId: string, body: string) => ({ messageId, body, attributes: { ApproximateReceiveCount: '1' } }) as unknown as SQSEvent['Records'][number];

  it('reports a malformed hand-off and a failed one as batch item failures, and runs the others', async () => {
    const ran: string[] = [];
    const handler = createSqsAutomationHandler((events) => {
      if (events.some((e) => e.text === 'boom')) return Promise.reject(new Error('boom'));
      ran.push(...events.map((e) => e.eventKey));
      return Promise.resolve();
    }, new Logger({ logLevel: 'SILENT' }));
    const good = JSON.stringify(toHandOff([inbound(1, 'STOP')]));
    const failing = JSON.stringify(toHandOff([inbound(2, 'boom')]));
    const response = await handler({ Records: [record('a', good), record('b', '{"events":[]}'), record('c', failing)] });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['b', 'c']);
    expect(ran).toEqual([inbound(1, '').eventKey]);
  });
});

describe('a stored configuration the schema no longer reads', () => {
  it('runs the built-in configuration, so STOP still opts out and confirms', async () => {
    const stale = AutomationConfigSchema.safeParse({ greeting: { texts: {} } });
    if (stale.success) throw new Error('expected the schema to refuse the stored item');
    const broken = { get: () => Promise.reject(stale.error) };
    const { run, jobs, optedOut } = setup(broken);
    await run([inbound(1, 'STOP')]);
    expect([...jobs.values()].map((i) => i.content)).toEqual([{ type: 'text', text: CONFIRMATIONS.en.stop }]);
    expect(optedOut()).toBe(true);
  });

  it('still fails the hand-off when the store itself fails, so SQS retries it', async () => {
    const { run } = setup({ get: () => Promise.reject(new Error('throttled')) });
    await expect(run([inbound(1, 'STOP')])).rejects.toThrow('throttled');
  });
});
