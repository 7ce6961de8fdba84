/**
 * Interface under test: the local stack (admin API → outbox → sender → Meta simulator → status
 * webhooks) with injected time. WhatsApp MARKETING templates go to the Marketing Messages API once
 * Meta routes by category and the account is onboarded; after the reported end of marketing on
 * Cloud API the simulator refuses them on `/messages`; Meta's 134102 sends the job through
 * `/messages` instead; a person known only by a BSUID is reached in the configured request shape.
 */
import { outboxIdOfCallback } from '../../lambdas/domain/send/callback-data';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { DE_BSUID, PHONE, WABA } from '../helpers/sample-ids';
import { type SendingStack, TOKENS, startSendingStack } from '../helpers/sending-stack';

const DECEMBER = Date.UTC(2026, 11, 7, 12);
const AFTER_SUNSET = Date.UTC(2027, 9, 14, 12);

const intent = (userId: string, name: string, kind: SendIntent['kind']): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId,
  kind,
  author: 'bot',
  content: { type: 'template', name, language: 'de' },
});
const marketing = (userId: string) => intent(userId, 'spring_sale', 'marketing');

type Decision = { outcome: string; route?: string; pricing?: string; reason?: string; rule?: string };

describe('WhatsApp marketing through the Marketing Messages API, on the local stack', () => {
  let stack: SendingStack;
  let entryTime = 0;

  const request = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const preview = async (i: SendIntent): Promise<Decision> => ((await (await request('POST', '/admin/sends/preview', i)).json()) as { decision: Decision }).decision;
  const send = async (i: SendIntent, key: string): Promise<string> =>
    ((await (await request('POST', '/admin/sends', { intent: i, idempotencyKey: key })).json()) as { outboxId: string }).outboxId;
  const job = async (outboxId: string) => (await (await request('GET', `/admin/sends/${outboxId}`)).json()) as Record<string, unknown>;
  const register = (onboarded: boolean) =>
    request('PUT', `/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop WA', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', wabaId: WABA, marketingMessagesOnboarded: onboarded });
  const wabaChange = async (field: string, value: object) => {
    entryTime = Math.max(entryTime + 1, Math.floor(stack.now() / 1000));
    expect(await stack.postWebhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, time: entryTime, changes: [{ field, value }] }] })).toBe(200);
  };
  const approve = (name: string, category: string) =>
    wabaChange('message_template_status_update', {
      event: 'APPROVED',
      message_template_id: name.length * 1_000_003,
      message_template_name: name,
      message_template_language: 'de',
      reason: 'NONE',
      message_template_category: category,
    });
  /** Straight to the simulator, as another client of Meta would call it. */
  const cloudApiMarketing = (to: string) =>
    fetch(`${stack.simulator.url}/v25.0/${PHONE}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[PHONE]}` },
      body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'template', template: { name: 'spring_sale', language: { code: 'de' } } }),
    });
  const endpointsFor = (outboxId: string) => stack.simulator.accepted().filter((m) => outboxIdOfCallback(m.callbackData) === outboxId).map((m) => m.endpoint);

  beforeAll(async () => {
    stack = await startSendingStack();
    stack.advance(DECEMBER - stack.now());
    await approve('spring_sale', 'MARKETING');
    await approve('order_update', 'UTILITY');
    // Meta tells the WABA signed the terms (the simulator learns it too); the operator sets the flag.
    await wabaChange('account_update', { event: 'MM_LITE_TERMS_SIGNED' });
    expect((await register(true)).status).toBe(200);
  });
  afterAll(async () => {
    await stack.close();
  });

  it('December 2026: an onboarded account’s MARKETING template goes to /marketing_messages, its UTILITY template to /messages', async () => {
    expect(await preview(marketing('4915100000701'))).toMatchObject({
      outcome: 'allow',
      route: 'whatsapp.marketing_message',
      pricing: 'marketing_lite',
      rule: 'whatsapp.marketing_template_route.by_category',
    });
    const promo = await send(marketing('4915100000701'), 'mm-1');
    const update = await send(intent('4915100000702', 'order_update', 'utility'), 'mm-2');
    await stack.waitUntilDrained();

    expect(endpointsFor(promo)).toEqual(['marketing_messages']);
    expect(endpointsFor(update)).toEqual(['messages']);
    expect(stack.simulator.accepted().find((m) => outboxIdOfCallback(m.callbackData) === promo)).toMatchObject({ pricingCategory: 'marketing_lite', body: { product_policy: 'STRICT' } });
    expect(await job(promo)).toMatchObject({ status: 'read', route: 'whatsapp.marketing_message', pricing: 'marketing_lite' });
  });

  it('134102: Meta says the account is not onboarded after all; the job goes out through /messages and the flag is not trusted for a day', async () => {
    stack.simulator.setMarketingMessagesOnboarded({ accountId: PHONE, onboarded: false });
    const promo = await send(marketing('4915100000703'), 'mm-3');
    await stack.waitUntilDrained();

    expect(await job(promo)).toMatchObject({ senderStatus: 'sent', route: 'whatsapp.template', pricing: 'marketing', attempts: 2 });
    expect(stack.simulator.accepted().filter((m) => outboxIdOfCallback(m.callbackData) === promo).map((m) => m.endpoint)).toEqual(['messages']);
    const account = (await (await request('GET', `/admin/accounts/whatsapp/${PHONE}`)).json()) as { policy: { marketingMessagesPause: { code: number } | null } };
    expect(account.policy.marketingMessagesPause).toMatchObject({ code: 134102 });
    expect(await preview(marketing('4915100000704'))).toMatchObject({ route: 'whatsapp.template' });
    stack.simulator.setMarketingMessagesOnboarded({ accountId: PHONE });
  });

  it('after 2027-10-13 (unconfirmed): the simulator refuses a marketing template on /messages with 131063, and afterchat routes it to /marketing_messages', async () => {
    stack.advance(AFTER_SUNSET - stack.now());
    const refused = await cloudApiMarketing('+4915100000705');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 131063 } });

    expect(await preview(marketing('4915100000705'))).toMatchObject({ route: 'whatsapp.marketing_message', rule: 'whatsapp.marketing_template_route.cloud_api_sunset' });
    const promo = await send(marketing('4915100000705'), 'mm-5');
    await stack.waitUntilDrained();
    expect(endpointsFor(promo)).toEqual(['marketing_messages']);
    expect(await job(promo)).toMatchObject({ status: 'read', route: 'whatsapp.marketing_message' });

    // Not onboarded: no door is left, and afterchat says so before calling Meta.
    expect((await register(false)).status).toBe(200);
    expect(await preview(marketing('4915100000706'))).toMatchObject({ outcome: 'refuse', reason: 'marketing_api_required' });
    expect((await register(true)).status).toBe(200);
  });

  it('a person known only by a BSUID is reached with the BSUID in the configured recipient field', async () => {
    const outboxId = await send(intent(DE_BSUID, 'order_update', 'utility'), 'bsuid-1');
    await stack.waitUntilDrained();

    const sent = stack.simulator.accepted().find((m) => outboxIdOfCallback(m.callbackData) === outboxId);
    expect(sent).toMatchObject({ recipient: DE_BSUID, endpoint: 'messages', body: { recipient_type: 'individual', recipient: DE_BSUID } });
    expect(sent?.body).not.toHaveProperty('to');
    expect(await job(outboxId)).toMatchObject({ senderStatus: 'sent', status: 'read' });
  });
});
