/**
 * Interface under test: the local stack end to end — a campaign sent through the Meta simulator, its
 * status webhooks (delivered, read, 131049, 131050), a reply, a STOP and a marketing opt-out — read back through
 * `GET /admin/campaigns/{id}/occurrences/{occurrenceKey}/report` and `GET /admin/campaigns/{id}/report`,
 * then every status webhook delivered twice more, in reverse order.
 */
import { whatsappFailed, whatsappStatus } from '../../lambdas/local/meta-simulator/status-webhooks';
import { PHONE, WABA } from '../helpers/sample-ids';
import { SAMPLE_NUMBER, userPreferenceBody } from '../helpers/whatsapp-webhook';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { adminCaller } from '../helpers/admin-contract';
import { approveMarketingTemplate, fireCampaign, postWhatsAppChange, writtenADayAgo } from '../helpers/sent-campaign';

const HOUR = 3_600_000;
const seconds = (ms: number) => String(Math.floor(ms / 1000));

const PEOPLE = Array.from({ length: 8 }, (_, i) => `49151000015${String(i).padStart(2, '0')}`);
const LIMITED = PEOPLE.slice(0, 2);
const OPTED_OUT = PEOPLE.slice(2, 4);
const [REPLIES, STOPS, PREFERS_NOT] = [PEOPLE[4] as string, PEOPLE[5] as string, PEOPLE[6] as string];
const NUMBER = { wabaId: WABA, displayPhoneNumber: '15550783881' };

describe('the funnel of a campaign, counted as its webhooks arrive', () => {
  let stack: SendingStack;
  let occurrenceKey = '';

  // Contract-checked: every admin answer is held to lambdas/admin/contract/.
  const call = adminCaller(() => stack.url);
  const inbound = (waId: string, text: string) =>
    postWhatsAppChange(stack, 'messages', {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: NUMBER.displayPhoneNumber, phone_number_id: PHONE },
      contacts: [{ wa_id: waId, profile: { name: 'P' } }],
      messages: [{ from: waId, id: `wamid.in-${waId}-${text.length}`, timestamp: seconds(stack.now()), type: 'text', text: { body: text } }],
    });
  const report = async () => (await call('GET', `/admin/campaigns/spring/occurrences/${encodeURIComponent(occurrenceKey)}/report`)).body.report as Record<string, unknown>;

  beforeAll(async () => {
    stack = await startSendingStack();
    expect(await approveMarketingTemplate(stack, { name: 'spring_sale', language: 'de' })).toBe(200);
    await writtenADayAgo(stack, { people: PEOPLE, limited: LIMITED, optedOut: OPTED_OUT });
    occurrenceKey = await fireCampaign(stack, {
      id: 'spring',
      name: 'Spring',
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: {},
      content: { type: 'template', name: 'spring_sale', language: 'de' },
      kind: 'marketing',
    });
    stack.advance(HOUR);
    expect(await inbound(REPLIES, 'Danke, wann öffnet ihr?')).toBe(200);
    expect(await inbound(STOPS, 'STOP')).toBe(200);
    expect(await stack.postWebhook(userPreferenceBody(SAMPLE_NUMBER, { waId: PREFERS_NOT, value: 'stop', atMs: stack.now() }))).toBe(200);
    await stack.waitUntilDrained();
  }, 300_000);
  afterAll(async () => {
    await stack.close();
  });

  const expected = {
    sent: 8,
    delivered: 4,
    read: 4,
    replied: 2,
    optedOut: 2,
    limited: { total: 2, byCode: [{ code: 131049, count: 2, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }] },
    failed: { total: 2, byCode: [{ code: 131050, count: 2 }] },
    rates: { deliveryRate: 0.5, readRate: 1, replyRate: 0.5, optOutRate: 0.5 },
  };

  it('counts exactly what happened: delivered, read, limited by Meta, failed by code, replies, STOPs and opt-outs within 72 h, billed messages', async () => {
    const answer = await report();
    expect(answer).toMatchObject(expected);
    expect(answer.money).toMatchObject({ billed: { messages: 4 } });
    expect((await call('GET', '/admin/campaigns/spring/report')).body).toMatchObject({ campaignId: 'spring', report: expected });
  });

  it('stays the same when every status webhook comes twice more, in reverse order', async () => {
    const refs = stack.simulator.accepted().flatMap((m) => (m.template?.name === 'spring_sale' && m.callbackData ? [{ phoneNumberId: PHONE, number: NUMBER, wamid: m.id, waId: m.recipient, callbackData: m.callbackData }] : []));
    expect(refs).toHaveLength(8);
    const pricing = { billable: true, pricing_model: 'PMP' as const, type: 'regular' as const, category: 'marketing' };
    const bodies = refs.flatMap((ref) =>
      LIMITED.includes(ref.waId)
        ? [whatsappFailed(ref, 131049)(stack.now())]
        : OPTED_OUT.includes(ref.waId)
          ? [whatsappFailed(ref, 131050)(stack.now())]
          : [whatsappStatus(ref, 'sent', pricing)(stack.now()), whatsappStatus(ref, 'delivered', pricing)(stack.now()), whatsappStatus(ref, 'read', pricing)(stack.now())],
    ) as object[];
    for (const body of [...bodies].reverse()) expect(await stack.postWebhook(body)).toBe(200);
    for (const body of [...bodies].reverse()) expect(await stack.postWebhook(body)).toBe(200);
    expect(await report()).toMatchObject(expected);
  });
});
