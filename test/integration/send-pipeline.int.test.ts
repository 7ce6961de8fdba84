/**
 * Interface under test: the send pipeline on the local stack — admin API → outbox → SQS → sender
 * (policy at send time, claim, pacing, Graph API client) → Meta simulator → signed status webhooks
 * back into afterchat.
 */
import { outboxIdOfCallback } from '../../lambdas/domain/send/callback-data';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { effectiveStatus, type OutboxStatus } from '../../lambdas/domain/send/outbox';
import { PAGE, PHONE, PSID } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

const HOUR = 3_600_000;
const whatsappText = (waId: string, text = 'Your order is on its way'): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId: waId,
  kind: 'reply',
  author: 'bot',
  content: { type: 'text', text },
});
const post = (stack: SendingStack, path: string, body: unknown) =>
  fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('send pipeline on the local stack', () => {
  let stack: SendingStack;
  afterEach(async () => {
    await stack.close();
  });

  it('sends a WhatsApp reply once and shows it read after the status webhooks', async () => {
    stack = await startSendingStack();
    await stack.openWhatsAppWindows(['4915112345678']);
    // Act
    const preview = await (await post(stack, '/admin/sends/preview', whatsappText('4915112345678'))).json();
    const response = await post(stack, '/admin/sends', { intent: whatsappText('4915112345678'), idempotencyKey: 'order-1001-shipped' });
    const { outboxId } = (await response.json()) as { outboxId: string };
    await stack.waitUntilDrained();
    // Assess
    expect(preview).toMatchObject({ decision: { outcome: 'allow', route: 'whatsapp.free_form' } });
    expect(response.status).toBe(202);
    expect(stack.simulator.accepted()).toEqual([expect.objectContaining({ recipient: '4915112345678' })]);
    // The callback data names the job (tagged with the ids the sender found stored: callback-data.ts).
    expect(outboxIdOfCallback(stack.simulator.accepted()[0]?.callbackData)).toBe(outboxId);
    expect(await (await fetch(`${stack.url}/admin/sends/${outboxId}`)).json()).toMatchObject({
      outboxId,
      status: 'read',
      senderStatus: 'sent',
      route: 'whatsapp.free_form',
      messageId: expect.stringMatching(/^wamid\./) as string,
    });
    const again = await post(stack, '/admin/sends', { intent: whatsappText('4915112345678'), idempotencyKey: 'order-1001-shipped' });
    expect(await again.json()).toMatchObject({ outboxId, created: false });
    await stack.waitUntilDrained();
    expect(stack.simulator.countFor('4915112345678')).toBe(1);
  });

  it('sends a job delivered five times concurrently exactly once', async () => {
    stack = await startSendingStack({ concurrency: 4 });
    await stack.openWhatsAppWindows(['4915100000001']);
    const [outboxId] = await stack.enqueue([{ key: 'dup', intent: whatsappText('4915100000001') }], { copies: 5 });
    await stack.waitUntilDrained();
    expect(stack.simulator.countFor('4915100000001')).toBe(1);
    const [record] = await stack.records([outboxId as string]);
    expect(record?.status).toBe('sent');
  });

  it('skips, with the reason, a send whose window closed between enqueue and send', async () => {
    stack = await startSendingStack();
    await stack.openWhatsAppWindows(['4915100000002']);
    const [outboxId] = await stack.enqueue([{ key: 'late', intent: whatsappText('4915100000002') }], { delaySeconds: 1 });
    stack.advance(25 * HOUR);
    await stack.waitUntilDrained();
    expect(stack.simulator.countFor('4915100000002')).toBe(0);
    expect(await (await fetch(`${stack.url}/admin/sends/${outboxId}`)).json()).toMatchObject({ status: 'skipped', reason: 'window_closed' });
  });

  it('lets a human agent answer on Messenger after the 24 h window with HUMAN_AGENT, but never a bot', async () => {
    stack = await startSendingStack();
    const at = stack.now();
    expect(
      await stack.postWebhook({
        object: 'page',
        entry: [{ id: PAGE, time: at, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: at, message: { mid: 'm_help', text: 'Help?' } }] }],
      }),
    ).toBe(200);
    stack.simulator.userMessaged({ channel: 'messenger', accountId: PAGE, userId: PSID, at });
    stack.advance(30 * HOUR);
    const intent = (author: 'human' | 'bot'): SendIntent => ({
      channel: 'messenger',
      accountId: PAGE,
      userId: PSID,
      kind: 'human_agent_reply',
      author,
      content: { type: 'text', text: 'Sorry for the wait, here is your answer.' },
    });
    const human = (await (await post(stack, '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-1' })).json()) as { outboxId: string };
    const bot = (await (await post(stack, '/admin/sends', { intent: intent('bot'), idempotencyKey: 'bot-1' })).json()) as { outboxId: string };
    await stack.waitUntilDrained();
    expect(stack.simulator.accepted()).toEqual([expect.objectContaining({ recipient: PSID, tag: 'HUMAN_AGENT', messagingType: 'MESSAGE_TAG' })]);
    expect(await (await fetch(`${stack.url}/admin/sends/${human.outboxId}`)).json()).toMatchObject({ route: 'messenger.human_agent' });
    expect(await (await fetch(`${stack.url}/admin/sends/${bot.outboxId}`)).json()).toMatchObject({ status: 'skipped', reason: 'human_agent_needs_human' });
  });

  it('ends every one of 2,000 jobs under 30 % injected faults, losing none (dead-lettered ones included) and sending nobody twice, unknowns included', async () => {
    stack = await startSendingStack({
      concurrency: 4,
      ratePerSecond: 2000,
      throughputPerSecond: 5000,
      graphTimeoutMs: 3000,
      statuses: [],
      seed: 20261121,
      faults: { serverErrorRate: 0.27, throttleRate: 0.02, timeoutRate: 0.003, dropRate: 0.002, afterAcceptRate: 0.003 },
    });
    const waIds = Array.from({ length: Number(process.env.SEND_JOBS ?? 2000) }, (_, i) => `49170${String(i).padStart(7, '0')}`);
    await stack.openWhatsAppWindows(waIds);
    // Act
    const ids = await stack.enqueue(waIds.map((waId) => ({ key: `campaign-7#occ-1#${waId}`, intent: whatsappText(waId) })));
    await stack.waitUntilDrained();
    // Assess
    const records = await stack.records(ids);
    const dead = new Set(await stack.deadLetters());
    const byStatus = new Map<OutboxStatus, string[]>();
    for (const r of records) {
      const status = effectiveStatus(r.status, undefined);
      byStatus.set(status, [...(byStatus.get(status) ?? []), r.outboxId]);
    }
    const ended = ['sent', 'failed', 'skipped', 'unknown'];
    // A job in the DLQ counts as lost unless its record ended: nothing would pick it up again.
    const notEnded = records.filter((r) => !ended.includes(r.status)).map((r) => ({ outboxId: r.outboxId, status: r.status, deadLettered: dead.has(r.outboxId) }));
    expect(records).toHaveLength(waIds.length);
    expect(notEnded).toEqual([]);
    for (const r of records.filter((x) => x.status === 'failed')) expect(r.errorCode ?? r.reason).toBeDefined();
    const unknown = new Set((byStatus.get('unknown') ?? []).map((id) => records.find((r) => r.outboxId === id)?.intent.userId));
    const twice = waIds.filter((waId) => stack.simulator.countFor(waId) > 1);
    // afterchat never resends an unknown job, so nobody gets the message twice, unknowns included.
    expect(twice).toEqual([]);
    expect(unknown.size).toBeLessThanOrEqual(waIds.length / 100);
    expect((byStatus.get('sent') ?? []).length).toBeGreaterThan(waIds.length * 0.95);
    console.info(
      `${waIds.length} jobs, 30 % faults: ${[...byStatus].map(([s, l]) => `${s} ${l.length}`).join(', ')}; DLQ ${dead.size}; requests ${stack.simulator.requests()}`,
    );
    // A correctness test: on a loaded 2-core machine the 2,000 sends through dynalite take minutes.
  }, 900_000);
});
