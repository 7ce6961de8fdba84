/**
 * Interface under test: the local stack end to end — a campaign whose message Meta refuses at the
 * send call (the simulator holds its template paused: 132015, "Template is Paused", in the Graph
 * API's answer; no message id, no status webhook), read back through
 * `GET /admin/campaigns/{id}/occurrences/{occurrenceKey}/report`; then its send job delivered again
 * (an SQS redelivery) and a failed status webhook naming the same message: neither counts again.
 */
import { SqsSendQueue } from '../../lambdas/adapters/sqs/send-queue';
import type { LocalStack } from '../../lambdas/local/local-stack';
import { whatsappFailed } from '../../lambdas/local/meta-simulator/status-webhooks';
import { adminCaller } from '../helpers/admin-contract';
import { PHONE, WABA } from '../helpers/sample-ids';
import { approveMarketingTemplate, fireCampaign, writtenADayAgo } from '../helpers/sent-campaign';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

const PERSON = '4915100001701';
const TEMPLATE = { name: 'winter_sale', language: 'de' };
const NUMBER = { wabaId: WABA, displayPhoneNumber: '15550783881' };

describe("a message Meta refuses at the send call, in its occurrence's funnel", () => {
  let stack: SendingStack;
  let occurrenceKey = '';
  const call = adminCaller(() => stack.url);
  const report = async () => (await call('GET', `/admin/campaigns/winter/occurrences/${encodeURIComponent(occurrenceKey)}/report`)).body.report as Record<string, unknown>;

  beforeAll(async () => {
    stack = await startSendingStack();
    expect(await approveMarketingTemplate(stack, TEMPLATE)).toBe(200);
    await writtenADayAgo(stack, { people: [PERSON] });
    // Meta paused the template since: afterchat doesn't know yet, so it sends, and Meta refuses the call.
    stack.simulator.setTemplate({ wabaOrPageId: WABA, accountId: PHONE, name: TEMPLATE.name, language: TEMPLATE.language, status: 'PAUSED', category: 'MARKETING' });
    occurrenceKey = await fireCampaign(stack, {
      id: 'winter',
      name: 'Winter',
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: {},
      content: { type: 'template', ...TEMPLATE },
      kind: 'marketing',
    });
  }, 300_000);
  afterAll(async () => {
    await stack.close();
  });

  // Refused at the send call: a failure of the funnel, never accepted by Meta, so not sent.
  const expected = {
    sent: 0,
    sentBasis: 'reported',
    delivered: 0,
    limited: { total: 0, byCode: [] },
    failed: { total: 1, byCode: [{ code: 132015, count: 1, title: 'Template is Paused' }] },
  };

  it("counts the refusal once under failed, by Meta's code with Meta's title", async () => {
    expect(stack.simulator.accepted()).toHaveLength(0);
    expect(await report()).toMatchObject(expected);
  });

  it('counts it no more when its send job comes again, or a failed status names the same message', async () => {
    const listed = await call('GET', `/admin/campaigns/winter/occurrences/${encodeURIComponent(occurrenceKey)}/recipients`);
    const [recipient] = listed.body.recipients as { outboxId: string; status: string }[];
    expect(recipient?.status).toBe('failed');
    const outboxId = recipient?.outboxId as string;

    const { queues } = stack.sending as NonNullable<LocalStack['sending']>;
    await new SqsSendQueue(queues.client, queues.queueUrl).enqueue([outboxId, outboxId]);
    await stack.waitUntilDrained();
    const late = whatsappFailed({ phoneNumberId: PHONE, number: NUMBER, wamid: 'wamid.never-sent', waId: PERSON, callbackData: outboxId }, 131050)(stack.now());
    expect(await stack.postWebhook(late as object)).toBe(200);
    expect(await stack.postWebhook(late as object)).toBe(200);

    expect(await report()).toMatchObject(expected);
  });
});
