/**
 * Interface under test: the local stack's webhook, the automation queue and its consumer, and
 * `GET /admin/accounts/{channel}/{accountId}/automation/usage`, driven with signed webhooks and
 * injected time: what automation sent per day and rule, each send counted once.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { toHandOff } from '../../lambdas/schemas/automation-hand-off';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { PHONE } from '../helpers/sample-ids';
import { from, messagesBody, SAMPLE_NUMBER, text } from '../helpers/whatsapp-webhook';
import { automationQueueDrained } from '../helpers/automation-queue';

const GERMAN = '4915100000031';
const DUTCH = '31612345678';

describe('automation usage on the local stack', () => {
  let stack: CampaignStack;
  afterAll(async () => stack?.close());

  const automationSettled = () => automationQueueDrained(stack.queues);

  it('counts a STOP redelivered by Meta and by SQS once, on the Berlin day it was written, and prices what the table knows', async () => {
    stack = await startCampaignStack();
    // 23:30 UTC on the 6th is already the 7th in Berlin; the replies go out in the window the STOPs opened.
    const at = Date.UTC(2026, 11, 6, 23, 30);
    stack.now.value = at + 60_000;
    const german = from({ waId: GERMAN, id: 'wamid.usage-de-1', atMs: at }, text('STOP'));
    await stack.postWebhook(messagesBody(SAMPLE_NUMBER, german));
    await stack.postWebhook(messagesBody(SAMPLE_NUMBER, german));
    await stack.queues.client.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.automationQueueUrl,
        MessageBody: JSON.stringify(toHandOff([{ eventKey: `whatsapp#${PHONE}#wamid#wamid.usage-de-1`, occurredAt: at, contact: { channel: 'whatsapp', accountId: PHONE, userId: GERMAN }, text: 'STOP' }])),
      }),
    );
    await stack.postWebhook(messagesBody(SAMPLE_NUMBER, from({ waId: DUTCH, id: 'wamid.usage-nl-1', atMs: at + 1000 }, text('STOP'))));
    await automationSettled();

    const { status, body } = await stack.call('GET', `/admin/accounts/whatsapp/${PHONE}/automation/usage`);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      from: '2026-12-01',
      to: '2026-12-07',
      timeZone: 'Europe/Berlin',
      days: [
        {
          day: '2026-12-07',
          rule: 'keyword',
          sends: 2,
          refused: 0,
          estimatedCost: { EUR: 0.0456 },
          unpriced: 1,
          lines: expect.arrayContaining([
            expect.objectContaining({ market: 'DE', sends: 1, amount: 0.0456, priceRow: { id: 'whatsapp.DE.service.2026-10', effectiveFrom: '2026-10-01', confirmed: false } }),
            expect.objectContaining({ market: 'NL', sends: 1, amount: null }),
          ]) as unknown,
        },
      ],
      totals: { sends: 2, refused: 0, estimatedCost: { EUR: 0.0456 }, unpriced: 1 },
    });
  }, 60_000);
});
