/**
 * Interface under test: the local stack carrying a handoff outside afterchat (README "Handoff
 * events"): a signed Messenger webhook with a handoff word puts `handoff.requested` on the local
 * business bus (GET /local/events) through the EventBridge adapter, and, where the account's
 * automation config names an inbox app, acknowledges and then (the sender, after the message) passes
 * the thread to it in the Meta simulator, which refuses sends from an app not holding it; an admin's
 * handoff lands on the same bus. WhatsApp has no thread control for a third-party app. The thread
 * comes back to afterchat by an admin's resume, or, after the timeout, with the person's next
 * message that still arrives on standby.
 */
import { adminCaller } from '../helpers/admin-contract';
import { automationQueueDrained } from '../helpers/automation-queue';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { toHandOff } from '../../lambdas/schemas/automation-hand-off';
import { PAGE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

const INBOX_APP = '263902037430900';
const PEOPLE = { asks: '7100000000000001', admin: '7100000000000002', resumed: '7100000000000003', timedOut: '7100000000000004' };
const HOUR = 3_600_000;

interface BusEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
}

describe('a handoff outside afterchat, on the local stack', () => {
  let stack: SendingStack;
  beforeAll(async () => {
    stack = await startSendingStack();
    const put = await call('PUT', `/admin/accounts/messenger/${PAGE}/automation`, { handoff: { threadControl: { targetAppId: INBOX_APP } } });
    expect(put.status).toBe(200);
  });
  afterAll(async () => stack?.close());

  const call = adminCaller(() => stack.url);

  const writes = async (psid: string, mid: string, text: string) => {
    const at = stack.now();
    const body = { object: 'page', entry: [{ id: PAGE, time: at, messaging: [{ sender: { id: psid }, recipient: { id: PAGE }, timestamp: at, message: { mid, text } }] }] };
    expect(await stack.postWebhook(body)).toBe(200);
    stack.simulator.userMessaged({ channel: 'messenger', accountId: PAGE, userId: psid, at });
    return at;
  };

  /** A message Meta delivers on standby: the inbox app holds the person's thread. */
  const writesOnStandby = async (psid: string, mid: string, text: string) => {
    const at = stack.now();
    const body = { object: 'page', entry: [{ id: PAGE, time: at, standby: [{ sender: { id: psid }, recipient: { id: PAGE }, timestamp: at, message: { mid, text } }] }] };
    expect(await stack.postWebhook(body)).toBe(200);
  };

  const threadCallsOf = (psid: string) => stack.simulator.threadControlCalls().filter((c) => c.userId === psid).map((c) => c.action);

  const automationSettled = async () => {
    await automationQueueDrained(stack.queues);
    // The pass follows the acknowledgement, from the sender.
    await stack.waitUntilDrained();
  };

  const busEvents = async (psid: string) =>
    ((await call('GET', '/local/events')).body.events as BusEvent[]).filter((e) => e['detail-type'] === 'handoff.requested' && e.detail.userId === psid);

  it('"agent" puts handoff.requested on the bus, acknowledges, and then passes the thread to the inbox app', async () => {
    const at = await writes(PEOPLE.asks, 'm_outward_1', 'agent');
    await automationSettled();
    // SQS delivers the hand-off again: it finds the acknowledgement's job, and nothing passes twice.
    await stack.queues.client.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.automationQueueUrl,
        MessageBody: JSON.stringify(
          toHandOff([{ eventKey: `messenger#${PAGE}#mid#m_outward_1`, occurredAt: at, contact: { channel: 'messenger', accountId: PAGE, userId: PEOPLE.asks }, text: 'agent' }]),
        ),
      }),
    );
    await automationSettled();

    // Put again by the redelivery (at least once), the same event by its eventKey, which a consumer dedupes on.
    const announced = expect.objectContaining({
        source: 'afterchat.automation',
        'detail-type': 'handoff.requested',
        detail: expect.objectContaining({
          channel: 'messenger',
          accountId: PAGE,
          userId: PEOPLE.asks,
          contactPath: `/admin/contacts/messenger/${PAGE}/${PEOPLE.asks}`,
          eventKey: `messenger#${PAGE}#mid#m_outward_1`,
          at: new Date(at).toISOString(),
        }) as unknown,
      }) as unknown;
    expect(await busEvents(PEOPLE.asks)).toEqual([announced, announced]);
    expect(stack.simulator.threadControlCalls()).toEqual([
      { accountId: PAGE, userId: PEOPLE.asks, action: 'pass', targetAppId: INBOX_APP, metadata: 'afterchat:handoff', at: expect.any(Number) as unknown },
    ]);
    expect(stack.simulator.threadOwner({ accountId: PAGE, userId: PEOPLE.asks })).toBe(INBOX_APP);
    // Sent while afterchat still held the thread: the simulator refuses a send from an app that doesn't.
    expect(stack.simulator.accepted().filter((m) => m.recipient === PEOPLE.asks).map((m) => (m.body as { message?: { text?: string } }).message?.text)).toEqual([
      'Thanks! A colleague will answer you here soon.',
    ]);
  }, 60_000);

  it("an admin's handoff lands on the same bus, from the admin API", async () => {
    await writes(PEOPLE.admin, 'm_outward_2', 'Where is my order?');
    await automationSettled();

    const started = await call('POST', `/admin/contacts/messenger/${PAGE}/${PEOPLE.admin}/handoff`, { note: 'VIP' });

    expect(started.status).toBe(200);
    expect(await busEvents(PEOPLE.admin)).toEqual([
      expect.objectContaining({
        // One source for every handoff.requested; the detail's `source` says who started it.
        source: 'afterchat.automation',
        'detail-type': 'handoff.requested',
        detail: expect.objectContaining({ source: 'admin', note: 'VIP', userId: PEOPLE.admin }) as unknown,
      }),
    ]);
  }, 60_000);

  it("an admin's resume takes the thread back from the inbox app", async () => {
    await writes(PEOPLE.resumed, 'm_outward_3', 'human');
    await automationSettled();
    expect(stack.simulator.threadOwner({ accountId: PAGE, userId: PEOPLE.resumed })).toBe(INBOX_APP);

    const resumed = await call('DELETE', `/admin/contacts/messenger/${PAGE}/${PEOPLE.resumed}/handoff`);

    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ handoff: { active: false, source: 'resume' }, threadControl: 'taken' });
    expect(threadCallsOf(PEOPLE.resumed)).toEqual(['pass', 'take']);
    expect(stack.simulator.threadOwner({ accountId: PAGE, userId: PEOPLE.resumed })).toBeUndefined();
    // Nothing left to take: a second resume says so.
    expect((await call('DELETE', `/admin/contacts/messenger/${PAGE}/${PEOPLE.resumed}/handoff`)).body).toMatchObject({ threadControl: 'not_passed' });
  }, 60_000);

  // Last: it moves the stack's clock past the default 24 h timeout.
  it('after the timeout, the next message on standby takes the thread back, once', async () => {
    await writes(PEOPLE.timedOut, 'm_outward_4', 'agent');
    await automationSettled();
    await writesOnStandby(PEOPLE.timedOut, 'm_outward_5', 'still there?');
    await automationSettled();
    // Inside the timeout the inbox app keeps the person.
    expect(threadCallsOf(PEOPLE.timedOut)).toEqual(['pass']);

    stack.advance(24 * HOUR + 1000);
    await writesOnStandby(PEOPLE.timedOut, 'm_outward_6', 'hello?');
    await automationSettled();
    expect(threadCallsOf(PEOPLE.timedOut)).toEqual(['pass', 'take']);
    expect(stack.simulator.threadOwner({ accountId: PAGE, userId: PEOPLE.timedOut })).toBeUndefined();

    // A standby message Meta had already queued takes nothing more.
    await writesOnStandby(PEOPLE.timedOut, 'm_outward_7', 'anyone?');
    await automationSettled();
    expect(threadCallsOf(PEOPLE.timedOut)).toEqual(['pass', 'take']);
  }, 60_000);
});
