/**
 * Interface under test: the local stack's webhook, automation's queue and consumer, `POST
 * /admin/sends` and `GET /admin/accounts/{channel}/{accountId}/responsiveness` and `…/growth`,
 * driven with signed webhooks and injected time: a seeded week of conversations with known reply
 * times (WhatsApp Business app echoes and agents' sends through the API, each person's messages
 * delivered late, out of order and twice) gives the exact rate, median, buckets and badge verdict;
 * STOPs and `user_preferences` give the growth counts.
 */
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { WEEK, WEEK_EXPECTED, WEEK_FROM, WEEK_TO } from '../helpers/responsiveness-week';
import { PHONE } from '../helpers/sample-ids';
import { from, messagesBody, SAMPLE_NUMBER, text, userPreferenceBody } from '../helpers/whatsapp-webhook';
import { automationQueueDrained } from '../helpers/automation-queue';

const SECOND = 1000;

describe('responsiveness and audience growth on the local stack', () => {
  let stack: CampaignStack;
  afterAll(async () => stack?.close());

  const automationSettled = () => automationQueueDrained(stack.queues, 60_000);

  /** A signed webhook received at `receivedAt` (the stack's clock). */
  const post = async (body: object, receivedAt: number) => {
    stack.now.value = receivedAt;
    await stack.postWebhook(body);
  };
  const says = (waId: string, id: string, atMs: number, body = 'Hallo') => messagesBody(SAMPLE_NUMBER, from({ waId, id, atMs }, text(body)));
  /** A reply from the WhatsApp Business app on the coexistence number: a human at the business. */
  const appEcho = (waId: string, id: string, atMs: number) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: SAMPLE_NUMBER.wabaId,
        changes: [
          {
            field: 'smb_message_echoes',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE },
              message_echoes: [{ from: '15550783881', to: waId, id, timestamp: String(Math.floor(atMs / 1000)), type: 'text', text: { body: 'Hallo, hier ist Sandra.' } }],
            },
          },
        ],
      },
    ],
  });
  /** An agent's reply through the admin API, at the stack's clock. */
  const agentSends = async (waId: string, key: string, atMs: number) => {
    stack.now.value = atMs;
    const { status, body } = await stack.call('POST', '/admin/sends', {
      intent: { channel: 'whatsapp', accountId: PHONE, userId: waId, kind: 'reply', author: 'human', content: { type: 'text', text: 'Gern geschehen!' } },
      idempotencyKey: key,
    });
    // 202 the first time, 200 for the retried call with the same key.
    expect([status === 202 || status === 200, (body.preview as { outcome: string }).outcome]).toEqual([true, 'allow']);
  };

  it('a seeded week gives the exact rate, median, buckets, SLA share and badge verdict, whatever order and however often Meta delivers', async () => {
    stack = await startCampaignStack();
    for (const [i, c] of WEEK.entries()) {
      // The person's second message arrives first; their first only after the reply, and twice.
      await post(says(c.waId, `wamid.week-${i}-in-2`, c.openAt + 3 * SECOND), c.openAt + 4 * SECOND);
      if (c.delaySeconds !== null) {
        const replyAt = c.openAt + c.delaySeconds * SECOND;
        if (i % 2 === 0) {
          await post(appEcho(c.waId, `wamid.week-${i}-echo-1`, replyAt), replyAt + SECOND);
          await post(appEcho(c.waId, `wamid.week-${i}-echo-1`, replyAt), replyAt + 2 * SECOND);
        } else {
          await agentSends(c.waId, `week-${i}-reply-1`, replyAt);
          await agentSends(c.waId, `week-${i}-reply-1`, replyAt + SECOND);
        }
        // A follow-up with no one waiting counts for nothing.
        await agentSends(c.waId, `week-${i}-reply-2`, replyAt + 60 * SECOND);
      }
      const late = c.openAt + (c.delaySeconds ?? 0) * SECOND + 120 * SECOND;
      await post(says(c.waId, `wamid.week-${i}-in-1`, c.openAt), late);
      await post(says(c.waId, `wamid.week-${i}-in-1`, c.openAt), late + SECOND);
    }
    await automationSettled();

    const { status, body } = await stack.call('GET', `/admin/accounts/whatsapp/${PHONE}/responsiveness?from=${WEEK_FROM}&to=${WEEK_TO}&slaSeconds=300`);

    expect(status).toBe(200);
    const { veryResponsive, ...figures } = WEEK_EXPECTED;
    expect(body).toMatchObject({ timeZone: 'Europe/Berlin', from: WEEK_FROM, to: WEEK_TO, ...figures });
    expect(body.veryResponsive).toEqual({ from: WEEK_FROM, to: WEEK_TO, ...veryResponsive });
    expect((body.days as { day: string; conversations: number }[]).map((d) => [d.day, d.conversations])).toEqual([
      ['2026-11-30', 3],
      ['2026-12-01', 3],
      ['2026-12-02', 3],
      ['2026-12-03', 3],
      ['2026-12-04', 3],
      ['2026-12-05', 3],
      ['2026-12-06', 2],
    ]);
  }, 180_000);

  it('counts new contacts, a STOP delivered twice once, and user_preferences stop and resume, per Berlin day', async () => {
    // 23:30 UTC on the 6th is the 7th in Berlin.
    const at = Date.UTC(2026, 11, 6, 23, 30);
    for (const waId of ['4915100007101', '4915100007102']) {
      await post(says(waId, `wamid.stop-${waId}`, at, 'STOP'), at + SECOND);
      await post(says(waId, `wamid.stop-${waId}`, at, 'STOP'), at + 2 * SECOND);
    }
    await post(userPreferenceBody(SAMPLE_NUMBER, { waId: WEEK[0]!.waId, value: 'stop', atMs: at }), at + 3 * SECOND);
    await post(userPreferenceBody(SAMPLE_NUMBER, { waId: WEEK[1]!.waId, value: 'resume', atMs: at }), at + 4 * SECOND);
    await automationSettled();

    const { status, body } = await stack.call('GET', `/admin/accounts/whatsapp/${PHONE}/growth?from=${WEEK_FROM}&to=2026-12-07`);

    expect(status).toBe(200);
    expect(body).toMatchObject({ newContacts: 22, optIns: { marketing: 1 }, optOuts: { keyword: 2, user_preferences: 1 }, net: -2 });
    expect((body.days as { day: string }[]).at(-1)).toEqual({ day: '2026-12-07', newContacts: 2, optIns: { marketing: 1 }, optOuts: { keyword: 2, user_preferences: 1 }, net: -2 });
  }, 60_000);
});
