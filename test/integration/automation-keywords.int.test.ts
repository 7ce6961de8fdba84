/**
 * Interface under test: the local stack's webhook, the automation queue and its consumer, the admin
 * API and a campaign, driven with signed webhooks and injected time (README "Automation"): STOP and
 * START keywords opt a person out of marketing and back in, with one confirmation each.
 */
import { automationQueueDrained } from '../helpers/automation-queue';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { LocalQueues } from '../../lambdas/local/sqs-server';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { toHandOff } from '../../lambdas/schemas/automation-hand-off';
import { type CampaignStack, minutesAfter, startCampaignStack } from '../helpers/campaign-stack';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { PHONE } from '../helpers/sample-ids';
import { SAMPLE_NUMBER, textBody, userPreferenceBody } from '../helpers/whatsapp-webhook';

const SECOND = 1000;
const PEOPLE = { plain: '4915100000001', dotted: '4915100000002', spaced: '4915100000003', sentence: '4915100000004', restarted: '4915100000005' };

interface SendView {
  intent: { kind: string; author: string; content: string };
  idempotencyKey: string;
}
interface ContactView {
  marketingOptOut: boolean;
  keywordOptOut: { keyword: string | null; eventKey: string | null; at: string | null } | null;
}

describe('automation: STOP and START keywords', () => {
  let stack: CampaignStack;
  afterAll(async () => stack?.close());

  const wamid = (waId: string, n: number) => `wamid.kw-${waId}-${n}`;
  const textFrom = (waId: string, n: number, body: string, atMs: number) => textBody(SAMPLE_NUMBER, { waId, id: wamid(waId, n), atMs }, body);
  const resumeFrom = (waId: string, atMs: number) => userPreferenceBody(SAMPLE_NUMBER, { waId, value: 'resume', atMs, detail: 'resume' });

  /** Until automation has taken every hand-off off its queue (as its event source mapping would). */
  const automationSettled = async (queues: LocalQueues) => {
    await automationQueueDrained(queues);
  };
  const contact = async (waId: string) => (await stack.call('GET', `/admin/contacts/whatsapp/${PHONE}/${waId}`)).body as unknown as ContactView;
  const sends = async (waId: string) => ((await stack.call('GET', `/admin/contacts/whatsapp/${PHONE}/${waId}/sends`)).body as unknown as { sends: SendView[] }).sends;

  it('STOP, "Stop." and " stopp " opt out with one confirmation each; a sentence changes nothing; START reverses it; a campaign skips the opted-out', async () => {
    stack = await startCampaignStack();
    const t0 = stack.now.value - 60 * SECOND;
    await stack.postWebhook(textFrom(PEOPLE.plain, 1, 'STOP', t0));
    await stack.postWebhook(textFrom(PEOPLE.dotted, 1, 'Stop.', t0));
    await stack.postWebhook(textFrom(PEOPLE.spaced, 1, ' stopp ', t0));
    await stack.postWebhook(textFrom(PEOPLE.sentence, 1, "please don't stop sending", t0));
    await stack.postWebhook(textFrom(PEOPLE.restarted, 1, 'STOP', t0));
    await stack.postWebhook(textFrom(PEOPLE.restarted, 2, 'START', t0 + 10 * SECOND));
    // Meta re-delivers a body (the webhook finds its events known), and SQS delivers a hand-off twice.
    await stack.postWebhook(textFrom(PEOPLE.plain, 1, 'STOP', t0));
    await stack.queues.client.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.automationQueueUrl,
        MessageBody: JSON.stringify(
          toHandOff([{ eventKey: `whatsapp#${PHONE}#wamid#${wamid(PEOPLE.plain, 1)}`, occurredAt: Math.floor(t0 / 1000) * 1000, contact: { channel: 'whatsapp', accountId: PHONE, userId: PEOPLE.plain }, text: 'STOP' }]),
        ),
      }),
    );
    // Meta's later resume of the person's marketing is its own register: the STOP the person wrote holds.
    await stack.postWebhook(resumeFrom(PEOPLE.plain, t0 + 20 * SECOND));
    await automationSettled(stack.queues);

    for (const [waId, keyword] of [
      [PEOPLE.plain, 'STOP'],
      [PEOPLE.dotted, 'STOP'],
      [PEOPLE.spaced, 'STOPP'],
    ] as const) {
      expect(await contact(waId)).toMatchObject({ marketingOptOut: true, keywordOptOut: { keyword } });
      const confirmations = await sends(waId);
      expect(confirmations).toHaveLength(1);
      expect(confirmations[0]).toMatchObject({ intent: { kind: 'reply', author: 'bot', content: 'text' }, idempotencyKey: `automation#keyword#whatsapp#${PHONE}#wamid#${wamid(waId, 1)}` });
    }
    expect(await contact(PEOPLE.sentence)).toMatchObject({ marketingOptOut: false, keywordOptOut: null });
    expect(await sends(PEOPLE.sentence)).toEqual([]);
    expect(await contact(PEOPLE.restarted)).toMatchObject({ marketingOptOut: false, keywordOptOut: null });
    expect((await sends(PEOPLE.restarted)).map((s) => s.idempotencyKey).sort()).toEqual(
      [1, 2].map((n) => `automation#keyword#whatsapp#${PHONE}#wamid#${wamid(PEOPLE.restarted, n)}`).sort(),
    );

    await stack.approveTemplate('spring_sale', 'de', 'MARKETING');
    const at = minutesAfter(stack.now.value, 2);
    const campaign: Campaign = {
      id: 'spring',
      name: 'Spring sale',
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: {},
      content: { type: 'template', name: 'spring_sale', language: 'de' },
      kind: 'marketing',
      schedule: { kind: 'once', at },
      status: 'draft',
    };
    await stack.schedule(campaign);
    stack.now.value = Date.parse(at) + SECOND;
    await stack.campaigns.invoke({ campaignId: 'spring', firingAt: at });
    const occurrence = await stack.settled('spring', at);
    expect(occurrence).toMatchObject({ status: 'done', counts: { audience: 5, enqueued: 2, skipped: { marketing_opted_out: 3 } } });
  }, 90_000);

  describe('through the sender', () => {
    let sending: SendingStack;
    afterAll(async () => sending?.close());

    it('a STOP whose hand-off SQS delivers three times reaches Meta as one bot reply inside the window', async () => {
      sending = await startSendingStack();
      const waId = '4915100000009';
      const at = sending.now() - 5 * SECOND;
      expect(await sending.postWebhook(textFrom(waId, 1, 'STOPP!', at))).toBe(200);
      const handOff = JSON.stringify(
        toHandOff([{ eventKey: `whatsapp#${PHONE}#wamid#${wamid(waId, 1)}`, occurredAt: Math.floor(at / 1000) * 1000, contact: { channel: 'whatsapp', accountId: PHONE, userId: waId }, text: 'STOPP!' }]),
      );
      for (let copy = 0; copy < 2; copy += 1) {
        await sending.queues.client.send(new SendMessageCommand({ QueueUrl: sending.queues.automationQueueUrl, MessageBody: handOff }));
      }
      await automationSettled(sending.queues);
      await sending.waitUntilDrained(60_000);

      const toPerson = sending.simulator.accepted().filter((m) => m.recipient === waId);
      expect(toPerson).toHaveLength(1);
      expect(toPerson[0]).toMatchObject({ channel: 'whatsapp', accountId: PHONE, kind: 'text' });
    }, 90_000);
  });
});
