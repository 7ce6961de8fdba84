/**
 * Independent policy scenarios written from Meta's documentation as summarised in
 * /work/shared/reference (whatsapp-cloud-api.md, messenger-platform.md, meta-and-peers-2026h2.md),
 * not from afterchat's code. Each title names the section it comes from.
 *
 * Interface under test: the local stack's signed webhook (`postWebhook`) and
 * `POST /admin/sends/preview` (optionally `at`); where a rule depends on what was sent before, the
 * send goes through `POST /admin/sends` and the local Meta simulator. Time is the stack's injected
 * clock (`advance`, `at`); nothing sleeps.
 */
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { IG as IG_ACCOUNT, PAGE, PHONE, WABA } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack, TOKENS } from '../helpers/sending-stack';
import { SAMPLE_NUMBER, userPreferenceBody } from '../helpers/whatsapp-webhook';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => String(Math.floor(ms / 1000));

/** A second number in the same WABA: Meta keys the window by business number and person (§5.1). */
const PHONE2 = '109876543210988';
/** A WABA of its own, so account-wide restrictions don't touch the other scenarios. */
const WABA_R = '102290129340400';
const PHONE_R = '109876543210990';
/** A WABA that Meta deletes in its scenario. */
const WABA_D = '102290129340401';
const PHONE_D = '109876543210991';
/** A WABA whose portfolio Meta gives the smallest messaging limit (TIER_50). */
const WABA_L = '102290129340402';
const PHONE_L = '109876543210992';
/** Pages by business country (Messenger marketing products are region-bound). */
const US_PAGE = '2234567890123456';
const CA_PAGE = '3234567890123456';
const BLOCK_PAGE = '4234567890123456';
const AD_ACCOUNT = '5566778899001122';

type Decision = { outcome: 'allow' | 'refuse'; route?: string; reason?: string; earliestAt?: string; rule?: string; pricing?: string; detail?: string };

let counter = 0;
const next = () => ++counter;
/** German mobile numbers (EEA: no per-user marketing limit, no US rule). */
const deNumber = () => `49152${String(next()).padStart(8, '0')}`;
const psid = () => `71${String(next()).padStart(14, '0')}`;
const igsid = () => `98${String(next()).padStart(14, '0')}`;

describe('Meta policy scenarios (from Meta’s documentation)', () => {
  let stack: SendingStack;
  const entryTimes: Record<string, number> = {};

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const decide = async (intent: SendIntent, at?: number): Promise<Decision> => {
    const response = await call('POST', '/admin/sends/preview', { ...intent, ...(at === undefined ? {} : { at: iso(at) }) });
    const body = (await response.json()) as { decision: Decision };
    expect(response.status).toBe(200);
    return body.decision;
  };
  /** Sends through the pipeline and waits until Meta (the simulator) has answered. */
  const send = async (intent: SendIntent) => {
    const response = await call('POST', '/admin/sends', { intent, idempotencyKey: `scenario-${next()}` });
    expect(response.status).toBe(202);
    const { outboxId } = (await response.json()) as { outboxId: string };
    await stack.waitUntilDrained();
    const record = (await (await call('GET', `/admin/sends/${outboxId}`)).json()) as { status: string; senderStatus: string; route?: string; errorCode?: number };
    return { ...record, outboxId };
  };
  const webhook = async (body: object) => expect(await stack.postWebhook(body)).toBe(200);

  // ---------- WhatsApp payloads (whatsapp-cloud-api.md §1.4–§1.6, §2, §3) ----------
  const metadataOf = (phoneId: string) => ({ display_phone_number: '15550783881', phone_number_id: phoneId });
  const waMessages = (value: object, waba = WABA, phoneId = PHONE) =>
    webhook({
      object: 'whatsapp_business_account',
      entry: [{ id: waba, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: metadataOf(phoneId), ...value } }] }],
    });
  /** A person's message, as Meta sends it (timestamp = when they sent it, by default now). */
  const waInbound = (from: string, message: object = { type: 'text', text: { body: 'Hallo' } }, options: { at?: number; phoneId?: string; waba?: string } = {}) =>
    waMessages(
      {
        contacts: [{ profile: { name: 'Kundin' }, wa_id: from }],
        messages: [{ from, id: `wamid.in-${next()}`, timestamp: seconds(options.at ?? stack.now()), ...message }],
      },
      options.waba,
      options.phoneId,
    );
  const waStatus = (recipient: string, status: string, extra: object = {}, waba = WABA, phoneId = PHONE) =>
    waMessages({ statuses: [{ id: `wamid.out-${next()}`, status, timestamp: seconds(stack.now()), recipient_id: recipient, ...extra }] }, waba, phoneId);
  const waFailed = (recipient: string, code: number, waba = WABA, phoneId = PHONE) =>
    waStatus(recipient, 'failed', { errors: [{ code, title: `error ${code}`, message: `error ${code}`, error_data: { details: 'x' } }] }, waba, phoneId);
  /** WABA-level fields carry entry.time (§1.4); each change gets a later one, as Meta's do. */
  const wabaChange = (field: string, value: object, waba = WABA) => {
    // Step the clock with them, so entry times never run ahead of the statuses that follow.
    stack.advance(1000);
    entryTimes[waba] = Math.max((entryTimes[waba] ?? 0) + 1, Math.floor(stack.now() / 1000));
    return webhook({ object: 'whatsapp_business_account', entry: [{ id: waba, time: entryTimes[waba], changes: [{ field, value }] }] });
  };
  const templateIds: Record<string, number> = {};
  const templateId = (name: string, language: string) => (templateIds[`${name}#${language}`] ??= 1689556908000000 + next());
  const templateStatus = (name: string, event: string, category = 'MARKETING', language = 'de', waba = WABA, reason: string | null = 'NONE') =>
    wabaChange(
      'message_template_status_update',
      { event, message_template_id: templateId(name, language), message_template_name: name, message_template_language: language, reason, message_template_category: category },
      waba,
    );
  const userPreference = (waId: string, value: 'stop' | 'resume', atMs = stack.now()) => webhook(userPreferenceBody(SAMPLE_NUMBER, { waId, value, atMs }));

  const wa = (userId: string, over: Partial<SendIntent> = {}, accountId = PHONE): SendIntent => ({
    channel: 'whatsapp',
    accountId,
    userId,
    kind: 'reply',
    author: 'bot',
    content: { type: 'text', text: 'Danke für Ihre Nachricht!' },
    ...over,
  });
  const waTemplate = (userId: string, kind: SendIntent['kind'], name: string, language = 'de', accountId = PHONE): SendIntent =>
    wa(userId, { kind, content: { type: 'template', name, language } }, accountId);

  // ---------- Messenger / Instagram payloads (messenger-platform.md §1.2, §2, §7) ----------
  const pageEvents = (pageId: string, events: object[], object: 'page' | 'instagram' = 'page') =>
    webhook({ object, entry: [{ id: pageId, time: stack.now(), messaging: events }] });
  const fromUser = (user: string, pageId: string, body: object, atMs = stack.now()) => ({ sender: { id: user }, recipient: { id: pageId }, timestamp: atMs, ...body });
  const userMessage = (user: string, pageId = PAGE, atMs = stack.now(), object: 'page' | 'instagram' = 'page', extra: object = {}) =>
    pageEvents(pageId, [fromUser(user, pageId, { message: { mid: `m_${next()}`, text: 'Hallo', ...extra } }, atMs)], object);
  const marketingOptIn = (user: string, pageId: string, token: string, over: object = {}) =>
    pageEvents(pageId, [
      fromUser(user, pageId, {
        optin: { type: 'notification_messages', payload: 'WEEKLY_DEALS', title: 'Weekly deals', notification_messages_token: token, notification_messages_timezone: 'Europe/Berlin', ...over },
      }),
    ]);
  const inbox = (channel: 'messenger' | 'instagram', accountId: string, userId: string, over: Partial<SendIntent> = {}): SendIntent => ({
    channel,
    accountId,
    userId,
    kind: 'reply',
    author: 'bot',
    content: { type: 'text', text: 'Thanks for writing!' },
    ...over,
  });
  const ms = (userId: string, over: Partial<SendIntent> = {}, pageId = PAGE) => inbox('messenger', pageId, userId, over);
  const promo = (userId: string, pageId = PAGE, over: Partial<SendIntent> = {}) =>
    ms(userId, { kind: 'marketing', content: { type: 'text', text: '20 % off this weekend' }, topic: 'WEEKLY_DEALS', ...over }, pageId);
  const optInRequest = (channel: 'messenger' | 'instagram', accountId: string, userId: string, title: string) =>
    inbox(channel, accountId, userId, { kind: 'opt_in_request', content: { type: 'opt_in_request', title, payload: `topic:${title}` } });

  beforeAll(async () => {
    stack = await startSendingStack({ instagramAccounts: [IG_ACCOUNT], tokens: { ...TOKENS, [US_PAGE]: 'token-us-page', [IG_ACCOUNT]: 'token-ig', [PHONE2]: 't2', [PHONE_R]: 't3', [PHONE_D]: 't4', [PHONE_L]: 't5' } });
    const account = async (channel: string, id: string, body: object) =>
      expect((await call('PUT', `/admin/accounts/${channel}/${id}`, { displayName: `${channel} ${id}`, tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', ...body })).status).toBeLessThan(300);
    await account('whatsapp', PHONE2, { wabaId: WABA });
    await account('whatsapp', PHONE_R, { wabaId: WABA_R });
    await account('whatsapp', PHONE_D, { wabaId: WABA_D });
    await account('whatsapp', PHONE_L, { wabaId: WABA_L });
    await account('messenger', US_PAGE, { country: 'US', adAccountId: AD_ACCOUNT, timezone: 'America/New_York' });
    await account('messenger', CA_PAGE, { country: 'CA', timezone: 'America/Toronto' });
    await account('messenger', BLOCK_PAGE, { country: 'DE' });
    await account('instagram', IG_ACCOUNT, { country: 'DE' });
    await templateStatus('order_update', 'APPROVED', 'UTILITY');
    await templateStatus('spring_sale', 'APPROVED', 'MARKETING');
    await templateStatus('login_code', 'APPROVED', 'AUTHENTICATION');
    await templateStatus('order_update', 'APPROVED', 'UTILITY', 'de', WABA_R);
    await templateStatus('spring_sale', 'APPROVED', 'MARKETING', 'de', WABA_R);
    await templateStatus('order_update', 'APPROVED', 'UTILITY', 'de', WABA_D);
    await templateStatus('order_update', 'APPROVED', 'UTILITY', 'de', WABA_L);
  });
  afterAll(async () => {
    await stack.close();
  });

  // =====================================================================================
  describe('WhatsApp customer service window', () => {
    it('WhatsApp §5.1: a user message opens a 24 h window; free-form inside it is allowed, 25 h later it is refused while an approved template still goes', async () => {
      const user = deNumber();
      await waInbound(user);
      const now = stack.now();
      expect(await decide(wa(user))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(wa(user), now + 23 * HOUR)).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(wa(user), now + 25 * HOUR)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
      expect(await decide(waTemplate(user, 'utility', 'order_update'), now + 25 * HOUR)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §5.1: free-form to someone who never wrote is refused (only templates outside the window; Meta would answer 131047)', async () => {
      const user = deNumber();
      expect(await decide(wa(user))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
      expect(await decide(wa(user, { kind: 'utility', content: { type: 'interactive', interactive: { type: 'button', body: { text: 'Track?' }, action: { buttons: [] } } } }))).toMatchObject({
        outcome: 'refuse',
        reason: 'window_closed',
      });
      expect(await decide(waTemplate(user, 'utility', 'order_update'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §5.1: each new user message resets the window to 24 h from that message', async () => {
      const user = deNumber();
      const now = stack.now();
      await waInbound(user, undefined, { at: now - 20 * HOUR });
      await waInbound(user, undefined, { at: now });
      // The first message alone would have closed the window at now + 4 h.
      expect(await decide(wa(user), now + 20 * HOUR)).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(wa(user), now + 24 * HOUR + MINUTE)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('WhatsApp §1.3 + §5.1: the window runs from the message’s own timestamp — a webhook Meta retried 25 h late opens nothing, and a late older one does not shorten a newer window', async () => {
      const [late, outOfOrder] = [deNumber(), deNumber()];
      const now = stack.now();
      await waInbound(late, undefined, { at: now - 25 * HOUR });
      expect(await decide(wa(late))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });

      await waInbound(outOfOrder, undefined, { at: now });
      await waInbound(outOfOrder, undefined, { at: now - 10 * HOUR });
      expect(await decide(wa(outOfOrder), now + 20 * HOUR)).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
    });

    it('WhatsApp §5.1: the window is per business number — a message to another number of the same WABA opens no window on this one', async () => {
      const user = deNumber();
      await waInbound(user, undefined, { phoneId: PHONE2 });
      expect(await decide(wa(user, {}, PHONE2))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(wa(user))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it.each([
      ['a template quick-reply button', { type: 'button', button: { payload: 'TRACK_ORDER', text: 'Sendung verfolgen' }, context: { from: '15550783881', id: 'wamid.tpl' } }],
      ['an interactive button reply', { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Ja' } }, context: { from: '15550783881', id: 'wamid.btn' } }],
      ['an interactive list reply', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'row-1', title: 'Größe M' } }, context: { from: '15550783881', id: 'wamid.list' } }],
      ['an order', { type: 'order', order: { catalog_id: '1234', text: '', product_items: [{ product_retailer_id: 'sku-1', quantity: 1, item_price: 19.9, currency: 'EUR' }] } }],
      ['an image', { type: 'image', image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'abc', caption: 'So?' } }],
      ['a location', { type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Laden' } }],
    ])('WhatsApp §5.1 + §2: %s is a user message and opens the window', async (_what, message) => {
      const user = deNumber();
      await waInbound(user, message);
      expect(await decide(wa(user))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
    });

    it('WhatsApp §5.1 + §2: a system message (user_changed_number) is not the user messaging: no window', async () => {
      const user = deNumber();
      await waInbound(user, { type: 'system', system: { body: 'User changed number', type: 'user_changed_number', wa_id: deNumber() } });
      expect(await decide(wa(user))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('WhatsApp §3: statuses (sent, delivered, read — even with a conversation and free_customer_service pricing) never open the window', async () => {
      const user = deNumber();
      const expiration = seconds(stack.now() + DAY);
      await waStatus(user, 'sent', {
        conversation: { id: `conv-${next()}`, expiration_timestamp: expiration, origin: { type: 'service' } },
        pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
      });
      await waStatus(user, 'delivered');
      await waStatus(user, 'read');
      expect(await decide(wa(user))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('WhatsApp §5.1 / §9 Q5: a reaction alone — Meta only says "messages you"; afterchat conservatively does not open the window on it (policy-rules note)', async () => {
      const user = deNumber();
      await waInbound(user, { type: 'reaction', reaction: { message_id: 'wamid.sent-earlier', emoji: '👍' } });
      expect(await decide(wa(user))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('WhatsApp §5.2: a Click-to-WhatsApp ad message opens the ordinary 24 h window; the 72 h free entry point is pricing only, so free-form is refused after 24 h', async () => {
      const user = deNumber();
      await waInbound(user, {
        type: 'text',
        text: { body: 'Ist die Jacke noch da?' },
        referral: { source_url: 'https://fb.me/3cr4Wqqkv', source_id: '120226305854810726', source_type: 'ad', headline: 'Chat with us', body: 'Sale', media_type: 'image', image_url: 'https://x/y.jpg', ctwa_clid: 'Aff-n8ZT' },
      });
      const now = stack.now();
      expect(await decide(wa(user))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(wa(user), now + 48 * HOUR)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
      expect(await decide(waTemplate(user, 'utility', 'order_update'), now + 48 * HOUR)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §5.1 / Messenger §3.4: WhatsApp has no HUMAN_AGENT tag — a human’s reply goes free-form in the window and is refused outside it', async () => {
      const user = deNumber();
      await waInbound(user);
      const now = stack.now();
      const human = wa(user, { kind: 'human_agent_reply', author: 'human' });
      expect(await decide(human)).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(human, now + 2 * DAY)).toMatchObject({ outcome: 'refuse', reason: 'human_agent_not_on_channel' });
    });

    it('WhatsApp §1.5 (BSUID): a username-only person (from "" + from_user_id) gets replies in the window by BSUID; authentication templates to a BSUID are refused (131062), to a phone number allowed', async () => {
      const bsuid = `DE.${String(next()).padStart(20, '7')}`;
      await waMessages({
        contacts: [{ profile: { name: 'Lena', username: 'lena.naeht', country_code: 'DE' }, wa_id: '', user_id: bsuid }],
        messages: [{ from: '', from_user_id: bsuid, id: `wamid.in-${next()}`, timestamp: seconds(stack.now()), type: 'text', text: { body: 'Wo ist mein Paket?' } }],
      });
      expect(await decide(wa(bsuid))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(waTemplate(bsuid, 'proactive_update', 'login_code'))).toMatchObject({ outcome: 'refuse', reason: 'auth_template_to_bsuid' });
      expect(await decide(waTemplate(deNumber(), 'proactive_update', 'login_code'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template', pricing: 'authentication' });
    });

    it('WhatsApp §1.5 (BSUID): a person who wrote with both wa_id and user_id is in the window whichever id the reply is addressed to', async () => {
      const waId = deNumber();
      const bsuid = `DE.${String(next()).padStart(20, '8')}`;
      await waMessages({
        contacts: [{ profile: { name: 'Lena' }, wa_id: waId, user_id: bsuid }],
        messages: [{ from: waId, from_user_id: bsuid, id: `wamid.in-${next()}`, timestamp: seconds(stack.now()), type: 'text', text: { body: 'Hallo' } }],
      });
      expect(await decide(wa(waId))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(wa(bsuid))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
    });
  });

  // =====================================================================================
  describe('WhatsApp templates', () => {
    it('WhatsApp §5.4: only APPROVED templates — PENDING and REJECTED are refused, the same template once APPROVED is allowed; an unknown template is refused', async () => {
      const user = deNumber();
      await templateStatus('back_in_stock', 'PENDING', 'UTILITY');
      expect(await decide(waTemplate(user, 'utility', 'back_in_stock'))).toMatchObject({ outcome: 'refuse', reason: 'template_not_approved' });
      await templateStatus('back_in_stock', 'REJECTED', 'UTILITY', 'de', WABA, 'INVALID_FORMAT');
      expect(await decide(waTemplate(user, 'utility', 'back_in_stock'))).toMatchObject({ outcome: 'refuse', reason: 'template_not_approved' });
      await templateStatus('back_in_stock', 'APPROVED', 'UTILITY');
      expect(await decide(waTemplate(user, 'utility', 'back_in_stock'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      expect(await decide(waTemplate(user, 'utility', 'never_created'))).toMatchObject({ outcome: 'refuse', reason: 'template_unknown' });
    });

    it('WhatsApp §5.4 + §6 (132001): a template approved in German does not exist in English', async () => {
      const user = deNumber();
      expect(await decide(waTemplate(user, 'utility', 'order_update', 'de'))).toMatchObject({ outcome: 'allow' });
      expect(await decide(waTemplate(user, 'utility', 'order_update', 'en_US'))).toMatchObject({ outcome: 'refuse', reason: 'template_unknown' });
    });

    it('WhatsApp §5.4: a PAUSED template is refused (132015) until Meta reinstates it; a DISABLED one is refused (132016)', async () => {
      const user = deNumber();
      await templateStatus('flash_sale', 'APPROVED', 'MARKETING');
      await templateStatus('flash_sale', 'PAUSED', 'MARKETING');
      expect(await decide(waTemplate(user, 'marketing', 'flash_sale'))).toMatchObject({ outcome: 'refuse', reason: 'template_paused' });
      await templateStatus('flash_sale', 'REINSTATED', 'MARKETING');
      expect(await decide(waTemplate(user, 'marketing', 'flash_sale'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      await templateStatus('flash_sale', 'DISABLED', 'MARKETING');
      expect(await decide(waTemplate(user, 'marketing', 'flash_sale'))).toMatchObject({ outcome: 'refuse', reason: 'template_disabled' });
    });

    it('WhatsApp §6 (132015): a failed status pausing a template afterchat sent refuses the next send of that template', async () => {
      await templateStatus('weekend_sale', 'APPROVED', 'MARKETING');
      const user = deNumber();
      const record = await send(waTemplate(user, 'marketing', 'weekend_sale'));
      expect(record.senderStatus).toBe('sent');
      const { outboxId } = record;
      stack.advance(1000);
      await waStatus(user, 'failed', { biz_opaque_callback_data: outboxId, errors: [{ code: 132015, title: 'Template is paused' }] });
      expect(await decide(waTemplate(deNumber(), 'marketing', 'weekend_sale'))).toMatchObject({ outcome: 'refuse', reason: 'template_paused' });
    });

    it('WhatsApp §5.4: a RED quality score alone does not stop an APPROVED template (only the status does)', async () => {
      await templateStatus('loyalty_news', 'APPROVED', 'MARKETING');
      await wabaChange('message_template_quality_update', {
        previous_quality_score: 'GREEN',
        new_quality_score: 'RED',
        message_template_id: templateId('loyalty_news', 'de'),
        message_template_name: 'loyalty_news',
        message_template_language: 'de',
      });
      expect(await decide(waTemplate(deNumber(), 'marketing', 'loyalty_news'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §5.3: a MARKETING template cannot carry a utility send (UTILITY must be non-promotional); it goes as marketing', async () => {
      const user = deNumber();
      expect(await decide(waTemplate(user, 'utility', 'spring_sale'))).toMatchObject({ outcome: 'refuse', reason: 'template_category_mismatch' });
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template', pricing: 'marketing' });
    });

    it('WhatsApp §5.3 + §1.6: after a completed template_category_update UTILITY→MARKETING the template is marketing at time of use (no utility sends, US rule applies)', async () => {
      await templateStatus('points_update', 'APPROVED', 'UTILITY');
      const us = `1650555${String(next()).padStart(4, '0')}`;
      expect(await decide(waTemplate(us, 'utility', 'points_update'))).toMatchObject({ outcome: 'allow' });
      await wabaChange('template_category_update', {
        message_template_id: templateId('points_update', 'de'),
        message_template_name: 'points_update',
        message_template_language: 'de',
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      });
      expect(await decide(waTemplate(us, 'utility', 'points_update'))).toMatchObject({ outcome: 'refuse', reason: 'template_category_mismatch' });
      expect(await decide(waTemplate(us, 'marketing', 'points_update'))).toMatchObject({ outcome: 'refuse', reason: 'marketing_to_us_number' });
      expect(await decide(waTemplate(deNumber(), 'marketing', 'points_update'))).toMatchObject({ outcome: 'allow', pricing: 'marketing' });
    });

    it('WhatsApp §1.6 + peers §2.2: an impending category notice (correct_category, new_category = current) changes nothing yet', async () => {
      await templateStatus('delivery_slot', 'APPROVED', 'UTILITY');
      await wabaChange('template_category_update', {
        message_template_id: templateId('delivery_slot', 'de'),
        message_template_name: 'delivery_slot',
        message_template_language: 'de',
        correct_category: 'MARKETING',
        new_category: 'UTILITY',
        category_update_timestamp: Math.floor((stack.now() + DAY) / 1000),
      });
      expect(await decide(waTemplate(deNumber(), 'utility', 'delivery_slot'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });
  });

  // =====================================================================================
  describe('WhatsApp marketing rules', () => {
    it('WhatsApp §5.6: marketing template after user_preferences stop is refused; utility still allowed; a later resume allows marketing again', async () => {
      const user = deNumber();
      await userPreference(user, 'stop');
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'refuse', reason: 'marketing_opted_out' });
      expect(await decide(waTemplate(user, 'utility', 'order_update'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      stack.advance(2000);
      await userPreference(user, 'resume');
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §5.6 + §6: a failed status with 131050 refuses the next marketing template to that person; utility unaffected', async () => {
      const user = deNumber();
      await waFailed(user, 131050);
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'refuse', reason: 'marketing_opted_out' });
      expect(await decide(waTemplate(user, 'utility', 'order_update'))).toMatchObject({ outcome: 'allow' });
    });

    it('WhatsApp §5.7: 131049 → wait at least 24 h before the next marketing template to that person; utility unaffected', async () => {
      const user = deNumber();
      const failedAt = stack.now();
      await waFailed(user, 131049);
      const held = await decide(waTemplate(user, 'marketing', 'spring_sale'));
      expect(held).toMatchObject({ outcome: 'refuse', reason: 'marketing_limit_backoff' });
      expect(Date.parse(held.earliestAt ?? '')).toBeGreaterThanOrEqual(failedAt + DAY - 1000);
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'), failedAt + 23 * HOUR)).toMatchObject({ outcome: 'refuse', reason: 'marketing_limit_backoff' });
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'), failedAt + DAY + MINUTE)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      expect(await decide(waTemplate(user, 'utility', 'order_update'))).toMatchObject({ outcome: 'allow' });
    });

    it('WhatsApp §0 + §5.7: no marketing templates to US numbers (+1, US area code) since 2025-04-01; utility to them and marketing to Canada (+1 416) are allowed', async () => {
      const us = `1650555${String(next()).padStart(4, '0')}`;
      const canada = `1416555${String(next()).padStart(4, '0')}`;
      expect(await decide(waTemplate(us, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'refuse', reason: 'marketing_to_us_number' });
      expect(await decide(waTemplate(us, 'utility', 'order_update'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      expect(await decide(waTemplate(canada, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });
  });

  // =====================================================================================
  describe('WhatsApp account states (own WABAs)', () => {
    const restriction = (restriction_info: object[]) => wabaChange('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info }, WABA_R);

    it('WhatsApp §1.6: RESTRICTED_BIZ_INITIATED_MESSAGING stops templates until its expiration; replies to a person who wrote still go', async () => {
      const [writer, cold] = [deNumber(), deNumber()];
      await waInbound(writer, undefined, { phoneId: PHONE_R, waba: WABA_R });
      const expiration = Math.floor((stack.now() + 3 * HOUR) / 1000);
      await restriction([{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration }]);
      const held = await decide(waTemplate(cold, 'utility', 'order_update', 'de', PHONE_R));
      expect(held).toMatchObject({ outcome: 'refuse', reason: 'account_restricted', earliestAt: iso(expiration * 1000) });
      expect(await decide(wa(writer, {}, PHONE_R))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
      expect(await decide(waTemplate(cold, 'utility', 'order_update', 'de', PHONE_R), expiration * 1000 + MINUTE)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      await restriction([]);
    });

    it('WhatsApp §1.6: RESTRICTED_CUSTOMER_INITIATED_MESSAGING stops answers in the window; a template to someone outside it still goes', async () => {
      const [writer, cold] = [deNumber(), deNumber()];
      await waInbound(writer, undefined, { phoneId: PHONE_R, waba: WABA_R });
      const expiration = Math.floor((stack.now() + 2 * HOUR) / 1000);
      await restriction([{ restriction_type: 'RESTRICTED_CUSTOMER_INITIATED_MESSAGING', expiration }]);
      expect(await decide(wa(writer, {}, PHONE_R))).toMatchObject({ outcome: 'refuse', reason: 'account_restricted' });
      expect(await decide(waTemplate(cold, 'utility', 'order_update', 'de', PHONE_R))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      await restriction([]);
      expect(await decide(wa(writer, {}, PHONE_R))).toMatchObject({ outcome: 'allow' });
    });

    it('WhatsApp §1.6 + §1.6 (restriction types): RESTRICTED_ADD_PHONE_NUMBER_ACTION limits account actions, not sending', async () => {
      const expiration = Math.floor((stack.now() + 2 * HOUR) / 1000);
      await restriction([{ restriction_type: 'RESTRICTED_ADD_PHONE_NUMBER_ACTION', expiration }]);
      expect(await decide(waTemplate(deNumber(), 'utility', 'order_update', 'de', PHONE_R))).toMatchObject({ outcome: 'allow' });
      await restriction([]);
    });

    it('WhatsApp §6 (131048, spam rate limit → pause campaigns): a failed status with 131048 holds marketing from the number; it is tried again later', async () => {
      await waFailed(deNumber(), 131048, WABA_R, PHONE_R);
      const now = stack.now();
      expect(await decide(waTemplate(deNumber(), 'marketing', 'spring_sale', 'de', PHONE_R))).toMatchObject({ outcome: 'refuse', reason: 'account_paused' });
      expect(await decide(waTemplate(deNumber(), 'marketing', 'spring_sale', 'de', PHONE_R), now + DAY)).toMatchObject({ outcome: 'allow' });
    });

    it('WhatsApp §1.6: ACCOUNT_DELETED — nothing can be sent from the WABA’s numbers any more', async () => {
      const user = deNumber();
      await waInbound(user, undefined, { phoneId: PHONE_D, waba: WABA_D });
      expect(await decide(wa(user, {}, PHONE_D))).toMatchObject({ outcome: 'allow' });
      await wabaChange('account_update', { event: 'ACCOUNT_DELETED' }, WABA_D);
      expect(await decide(wa(user, {}, PHONE_D))).toMatchObject({ outcome: 'refuse', reason: 'account_blocked' });
      expect(await decide(waTemplate(deNumber(), 'utility', 'order_update', 'de', PHONE_D))).toMatchObject({ outcome: 'refuse', reason: 'account_blocked' });
    });
  });

  // =====================================================================================
  describe('Messenger standard window (§4.1)', () => {
    it('Messenger §4.1 + §3.3: a message opens 24 h: RESPONSE and UPDATE (promotion too) are allowed, 25 h later a reply is refused', async () => {
      const user = psid();
      await userMessage(user);
      const now = stack.now();
      expect(await decide(ms(user))).toMatchObject({ outcome: 'allow', route: 'messenger.response' });
      expect(await decide(ms(user, { kind: 'proactive_update' }))).toMatchObject({ outcome: 'allow', route: 'messenger.update' });
      expect(await decide(promo(user))).toMatchObject({ outcome: 'allow', route: 'messenger.update' });
      expect(await decide(ms(user), now + 25 * HOUR)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it.each([
      ['a Get Started postback', (_user: string) => ({ postback: { mid: `m_${next()}`, title: 'Get Started', payload: 'GET_STARTED' } })],
      ['a persistent-menu postback', (user: string) => ({ postback: { mid: `m_${next()}`, title: `Menu ${user}`, payload: 'MENU_ORDERS' } })],
      ['a reaction to the Page’s message', () => ({ reaction: { reaction: 'love', emoji: '❤️', action: 'react', mid: `m_${next()}` } })],
      ['an m.me link with ref into the existing thread', () => ({ referral: { ref: 'summer_promo', source: 'SHORTLINK', type: 'OPEN_THREAD' } })],
      ['a quick reply', () => ({ message: { mid: `m_${next()}`, text: 'Yes', quick_reply: { payload: 'YES' } } })],
    ])('Messenger §4.1: %s opens the 24 h window', async (_what, body) => {
      const user = psid();
      await pageEvents(PAGE, [fromUser(user, PAGE, body(user))]);
      expect(await decide(ms(user))).toMatchObject({ outcome: 'allow', route: 'messenger.response' });
    });

    // messenger-platform.md §4.1 [META] lists "messages via Send-to-Messenger / checkbox plugin" among the
    // window openers. A Send-to-Messenger opt-in names the PSID; the checkbox plugin only a user_ref.
    it('Messenger §4.1 + §2.5: a Send-to-Messenger plugin opt-in (optin.ref, not a marketing opt-in) opens the window', async () => {
      const user = psid();
      await pageEvents(PAGE, [fromUser(user, PAGE, { optin: { ref: 'PASS_THROUGH_PARAM' } })]);
      expect(await decide(ms(user))).toMatchObject({ outcome: 'allow', route: 'messenger.response' });
    });

    it('Messenger §4.1: opting in to marketing messages does NOT open the window', async () => {
      const user = psid();
      await marketingOptIn(user, PAGE, `tok${next()}`);
      expect(await decide(ms(user))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('Messenger §2.2 + §2.6: the Page’s own echoes, delivery and read receipts do not open the window', async () => {
      const user = psid();
      const now = stack.now();
      await pageEvents(PAGE, [
        { sender: { id: PAGE }, recipient: { id: user }, timestamp: now, message: { mid: `m_${next()}`, is_echo: true, app_id: 1122334455667788, text: 'Hi from the inbox' } },
        { sender: { id: user }, recipient: { id: PAGE }, delivery: { mids: [`m_${next()}`], watermark: now } },
        { sender: { id: user }, recipient: { id: PAGE }, timestamp: now, read: { watermark: now } },
      ]);
      expect(await decide(ms(user))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('Messenger §4.1: a Click-to-Messenger ad thread — Meta says "may last up to 7 days" but the length is not in the payload; afterchat conservatively keeps 24 h (policy-rules note)', async () => {
      const user = psid();
      await userMessage(user, PAGE, stack.now(), 'page', { referral: { ref: 'ad', ad_id: '6045246247433', source: 'ADS', type: 'OPEN_THREAD' } });
      const now = stack.now();
      expect(await decide(ms(user), now + 23 * HOUR)).toMatchObject({ outcome: 'allow' });
      expect(await decide(ms(user), now + 3 * DAY)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });
  });

  // =====================================================================================
  describe('Messenger tags and templates', () => {
    it('Messenger §3.4: HUMAN_AGENT — a human may answer up to 7 days after the person’s last message; a bot may not; after 7 days nobody may', async () => {
      const user = psid();
      await userMessage(user);
      const now = stack.now();
      const human = ms(user, { kind: 'human_agent_reply', author: 'human' });
      expect(await decide(human)).toMatchObject({ outcome: 'allow', route: 'messenger.response' });
      expect(await decide(human, now + 3 * DAY)).toMatchObject({ outcome: 'allow', route: 'messenger.human_agent' });
      expect(await decide(human, now + 7 * DAY - HOUR)).toMatchObject({ outcome: 'allow', route: 'messenger.human_agent' });
      expect(await decide(ms(user, { kind: 'human_agent_reply', author: 'bot' }), now + 3 * DAY)).toMatchObject({ outcome: 'refuse', reason: 'human_agent_needs_human' });
      expect(await decide(human, now + 7 * DAY + HOUR)).toMatchObject({ outcome: 'refuse', reason: 'human_agent_window_closed' });
    });

    it('Messenger §0 + §3.4: tags retired since 2026-04-27 — a proactive update or utility text outside the window is refused, never sent with CONFIRMED_EVENT_UPDATE/ACCOUNT_UPDATE/POST_PURCHASE_UPDATE', async () => {
      const user = psid();
      await userMessage(user, PAGE, stack.now() - 2 * DAY);
      const update = await decide(ms(user, { kind: 'proactive_update', content: { type: 'text', text: 'Your order shipped' } }));
      expect(update).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
      expect(await decide(ms(user, { kind: 'utility', content: { type: 'text', text: 'Your appointment is tomorrow' } }))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('Messenger §3.3: utility templates must be approved utility templates of the Page (unknown → refused) and never carry marketing', async () => {
      const user = psid();
      expect(await decide(ms(user, { kind: 'utility', content: { type: 'template', name: 'order_shipped', language: 'en_US' } }))).toMatchObject({ outcome: 'refuse', reason: 'template_unknown' });
      expect(await decide(ms(user, { kind: 'marketing', content: { type: 'template', name: 'order_shipped', language: 'en_US' } }))).toMatchObject({ outcome: 'refuse', reason: 'template_category_mismatch' });
    });
  });

  // =====================================================================================
  describe('Messenger opt-ins and marketing', () => {
    it('Messenger §4.3: opt-in requests only inside the standard window', async () => {
      const user = psid();
      expect(await decide(optInRequest('messenger', PAGE, user, 'Weekly deals'))).toMatchObject({ outcome: 'refuse', reason: 'opt_in_request_outside_window' });
      await userMessage(user);
      const now = stack.now();
      expect(await decide(optInRequest('messenger', PAGE, user, 'Weekly deals'))).toMatchObject({ outcome: 'allow', route: 'messenger.opt_in_request' });
      expect(await decide(optInRequest('messenger', PAGE, user, 'Weekly deals'), now + 25 * HOUR)).toMatchObject({ outcome: 'refuse', reason: 'opt_in_request_outside_window' });
    });

    it('Messenger §4.3: one opt-in request per title per week (613/1893016); another title is fine; the same title after 7 days (new window) is fine', async () => {
      const user = psid();
      await userMessage(user);
      const sent = await send(optInRequest('messenger', PAGE, user, 'Weekly deals'));
      expect(sent).toMatchObject({ senderStatus: 'sent', route: 'messenger.opt_in_request' });
      const sentAt = stack.now();
      expect(await decide(optInRequest('messenger', PAGE, user, 'Weekly deals'))).toMatchObject({ outcome: 'refuse', reason: 'opt_in_request_too_soon' });
      expect(await decide(optInRequest('messenger', PAGE, user, 'New arrivals'))).toMatchObject({ outcome: 'allow' });
      stack.advance(7 * DAY + HOUR);
      await userMessage(user);
      expect(await decide(optInRequest('messenger', PAGE, user, 'Weekly deals'))).toMatchObject({ outcome: 'allow' });
      expect(stack.now()).toBeGreaterThan(sentAt + 7 * DAY);
    });

    it('Messenger §0 + §4.2 + §4.4: a business in the EU (DE) may still send legacy recurring notifications outside the window, one per token per 48 h', async () => {
      const user = psid();
      const token = `74${String(next()).padStart(17, '0')}`;
      await marketingOptIn(user, PAGE, token);
      stack.simulator.addOptInToken({ accountId: PAGE, userId: user, token });
      expect(await decide(promo(user))).toMatchObject({ outcome: 'allow', route: 'messenger.recurring_notification' });
      const sent = await send(promo(user));
      expect(sent).toMatchObject({ senderStatus: 'sent', route: 'messenger.recurring_notification' });
      const sentAt = stack.now();
      const held = await decide(promo(user));
      expect(held).toMatchObject({ outcome: 'refuse', reason: 'recurring_notification_cooldown' });
      expect(Date.parse(held.earliestAt ?? '')).toBeGreaterThan(sentAt + 47 * HOUR);
      expect(await decide(promo(user), sentAt + 49 * HOUR)).toMatchObject({ outcome: 'allow', route: 'messenger.recurring_notification' });
    });

    it('Messenger §0 (2023-08-10): notification tokens no longer expire — an old token_expiry_timestamp in the past does not stop a send', async () => {
      const user = psid();
      await marketingOptIn(user, PAGE, `75${String(next()).padStart(17, '0')}`, { notification_messages_frequency: 'DAILY', token_expiry_timestamp: stack.now() - 30 * DAY, user_token_status: 'NOT_REFRESHED' });
      expect(await decide(promo(user))).toMatchObject({ outcome: 'allow', route: 'messenger.recurring_notification' });
    });

    it('Messenger §2.5: STOP_NOTIFICATIONS stops marketing on that topic; RESUME_NOTIFICATIONS (Meta’s spaced spelling too) allows it again', async () => {
      const user = psid();
      const token = `76${String(next()).padStart(17, '0')}`;
      await marketingOptIn(user, PAGE, token);
      stack.advance(1000);
      await marketingOptIn(user, PAGE, token, { notification_messages_status: 'STOP_NOTIFICATIONS' });
      expect(await decide(promo(user))).toMatchObject({ outcome: 'refuse', reason: 'opt_in_stopped' });
      stack.advance(1000);
      await marketingOptIn(user, PAGE, token, { notification_messages_status: 'RESUME NOTIFICATIONS' });
      expect(await decide(promo(user))).toMatchObject({ outcome: 'allow' });
    });

    it('Messenger §4.2: marketing outside the window with no opt-in at all is refused', async () => {
      expect(await decide(promo(psid()))).toMatchObject({ outcome: 'refuse', reason: 'no_active_opt_in' });
    });

    it('Messenger §0 + §5: a US business after 2026-02-10 has no legacy recurring notifications; the Marketing Message API sends its campaign message outside the window', async () => {
      const user = psid();
      const token = `77${String(next()).padStart(17, '0')}`;
      await marketingOptIn(user, US_PAGE, token);
      expect(await decide(promo(user, US_PAGE, { campaignMessageId: '120215000000000101' }))).toMatchObject({ outcome: 'allow', route: 'messenger.marketing_message' });
      // Without a campaign message there is nothing the API can send (and no legacy door).
      expect(await decide(promo(user, US_PAGE))).toMatchObject({ outcome: 'refuse', reason: 'content_not_supported' });
    });

    it('Messenger §5: the Marketing Message API cannot reach recipients in the EU/UK/JP/KR/AU — a US Page’s subscriber known to be in DE is refused', async () => {
      const user = psid();
      await marketingOptIn(user, US_PAGE, `78${String(next()).padStart(17, '0')}`);
      expect((await call('PUT', `/admin/contacts/messenger/${US_PAGE}/${user}/profile`, { country: 'DE' })).status).toBeLessThan(300);
      expect(await decide(promo(user, US_PAGE, { campaignMessageId: '120215000000000102' }))).toMatchObject({ outcome: 'refuse', reason: 'recurring_notifications_discontinued' });
    });

    it('Messenger §5 / §9 Q5: Marketing Message API gap per token — 12 h (send page) vs 1/day (FAQ); afterchat conservatively waits 24 h (policy-rules note)', async () => {
      const user = psid();
      const token = `79${String(next()).padStart(17, '0')}`;
      await marketingOptIn(user, US_PAGE, token);
      stack.simulator.addOptInToken({ accountId: US_PAGE, userId: user, token });
      const intent = promo(user, US_PAGE, { campaignMessageId: '120215000000000103' });
      const sent = await send(intent);
      expect(sent).toMatchObject({ senderStatus: 'sent', route: 'messenger.marketing_message' });
      const sentAt = stack.now();
      expect(await decide(intent, sentAt + 13 * HOUR)).toMatchObject({ outcome: 'refuse', reason: 'marketing_limit_backoff' });
      expect(await decide(intent, sentAt + 25 * HOUR)).toMatchObject({ outcome: 'allow', route: 'messenger.marketing_message' });
    });

    it('Messenger §0 + §5: a business in Canada has neither the Marketing Message API (not in its 20 countries) nor legacy recurring notifications', async () => {
      const user = psid();
      await marketingOptIn(user, CA_PAGE, `80${String(next()).padStart(17, '0')}`);
      expect(await decide(promo(user, CA_PAGE, { campaignMessageId: '120215000000000104' }))).toMatchObject({ outcome: 'refuse', reason: 'recurring_notifications_discontinued' });
      // Inside the window promotion is still fine (§3.3 UPDATE).
      await userMessage(user, CA_PAGE);
      expect(await decide(promo(user, CA_PAGE))).toMatchObject({ outcome: 'allow', route: 'messenger.update' });
    });
  });

  // =====================================================================================
  describe('Messenger policy enforcement', () => {
    it('Messenger §2.10: policy_enforcement block stops all sends for the Page; a warning does not; unblock resumes', async () => {
      const user = psid();
      await userMessage(user, BLOCK_PAGE);
      const enforcement = (action: string, reason?: string) =>
        pageEvents(BLOCK_PAGE, [{ recipient: { id: BLOCK_PAGE }, timestamp: stack.now(), policy_enforcement: { action, ...(reason === undefined ? {} : { reason }) } }]);
      await enforcement('warning', 'Excessive messages');
      expect(await decide(ms(user, {}, BLOCK_PAGE))).toMatchObject({ outcome: 'allow' });
      stack.advance(1000);
      await enforcement('block', 'The bot violated our Platform Policies');
      expect(await decide(ms(user, {}, BLOCK_PAGE))).toMatchObject({ outcome: 'refuse', reason: 'account_blocked' });
      stack.advance(1000);
      await enforcement('unblock');
      expect(await decide(ms(user, {}, BLOCK_PAGE))).toMatchObject({ outcome: 'allow', route: 'messenger.response' });
    });
  });

  // =====================================================================================
  describe('Instagram (§7)', () => {
    const ig = (user: string, over: Partial<SendIntent> = {}) => inbox('instagram', IG_ACCOUNT, user, over);

    it('Instagram §7: a DM opens the 24 h window; messaging_seen does not', async () => {
      const [writer, seen] = [igsid(), igsid()];
      await userMessage(writer, IG_ACCOUNT, stack.now(), 'instagram');
      await pageEvents(IG_ACCOUNT, [fromUser(seen, IG_ACCOUNT, { read: { mid: `aWdf${next()}` } })], 'instagram');
      const now = stack.now();
      expect(await decide(ig(writer))).toMatchObject({ outcome: 'allow', route: 'instagram.response' });
      expect(await decide(ig(writer), now + 25 * HOUR)).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
      expect(await decide(ig(seen))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('Instagram §7 + §2.7: a reaction opens the window', async () => {
      const user = igsid();
      await pageEvents(IG_ACCOUNT, [fromUser(user, IG_ACCOUNT, { reaction: { mid: `aWdf${next()}`, action: 'react', reaction: 'love', emoji: '❤️' } })], 'instagram');
      expect(await decide(ig(user))).toMatchObject({ outcome: 'allow', route: 'instagram.response' });
    });

    it('Instagram §7: HUMAN_AGENT for 7 days, human-written only', async () => {
      const user = igsid();
      await userMessage(user, IG_ACCOUNT, stack.now(), 'instagram');
      const now = stack.now();
      expect(await decide(ig(user, { kind: 'human_agent_reply', author: 'human' }), now + 5 * DAY)).toMatchObject({ outcome: 'allow', route: 'instagram.human_agent' });
      expect(await decide(ig(user, { kind: 'human_agent_reply', author: 'bot' }), now + 5 * DAY)).toMatchObject({ outcome: 'refuse', reason: 'human_agent_needs_human' });
      expect(await decide(ig(user, { kind: 'human_agent_reply', author: 'human' }), now + 8 * DAY)).toMatchObject({ outcome: 'refuse', reason: 'human_agent_window_closed' });
    });

    it('Instagram §7 + §3.3: no utility templates and no Marketing Message API on Instagram — outside the window both are refused', async () => {
      const user = igsid();
      expect(await decide(ig(user, { kind: 'utility', content: { type: 'template', name: 'order_update', language: 'de' } }))).toMatchObject({ outcome: 'refuse', reason: 'content_not_supported' });
      expect(await decide(ig(user, { kind: 'marketing', content: { type: 'text', text: 'Sale' }, campaignMessageId: '120215000000000105' }))).toMatchObject({ outcome: 'refuse', reason: 'marketing_messages_unavailable' });
    });

    it('Instagram §4.3: at most 5 differently-titled opt-in requests a day to one person', async () => {
      const user = igsid();
      await userMessage(user, IG_ACCOUNT, stack.now(), 'instagram');
      for (const title of ['Deals', 'New arrivals', 'Restocks', 'Events', 'Outlet']) {
        expect(await send(optInRequest('instagram', IG_ACCOUNT, user, title))).toMatchObject({ senderStatus: 'sent' });
      }
      expect(await decide(optInRequest('instagram', IG_ACCOUNT, user, 'Gift ideas'))).toMatchObject({ outcome: 'refuse', reason: 'opt_in_request_too_soon' });
    });
  });


  // =====================================================================================
  describe('ordering, feedback from Meta, and other edges', () => {
    it('WhatsApp §1.3 + §5.6: webhooks arrive out of order — a stop older than the resume already seen does not opt the person out again', async () => {
      const user = deNumber();
      const now = stack.now();
      await userPreference(user, 'stop', now - 2 * HOUR);
      await userPreference(user, 'resume', now - HOUR);
      await userPreference(user, 'stop', now - 3 * HOUR);
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §1.3 + §5.4: a template status webhook delivered late (older entry.time) does not undo a newer APPROVED', async () => {
      const name = 'restock_alert';
      const at = Math.floor(stack.now() / 1000) + 30;
      const post = (event: string, time: number) =>
        webhook({
          object: 'whatsapp_business_account',
          entry: [
            {
              id: WABA,
              time,
              changes: [
                {
                  field: 'message_template_status_update',
                  value: { event, message_template_id: templateId(name, 'de'), message_template_name: name, message_template_language: 'de', reason: null, message_template_category: 'UTILITY' },
                },
              ],
            },
          ],
        });
      await post('APPROVED', at);
      await post('PENDING', at - 20);
      expect(await decide(waTemplate(deNumber(), 'utility', name))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §5.4: templates are per name and language — pausing the German one leaves the English one sendable', async () => {
      await templateStatus('gift_card', 'APPROVED', 'MARKETING', 'de');
      await templateStatus('gift_card', 'APPROVED', 'MARKETING', 'en');
      await templateStatus('gift_card', 'PAUSED', 'MARKETING', 'de');
      const user = deNumber();
      expect(await decide(waTemplate(user, 'marketing', 'gift_card', 'de'))).toMatchObject({ outcome: 'refuse', reason: 'template_paused' });
      expect(await decide(waTemplate(user, 'marketing', 'gift_card', 'en'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    });

    it('WhatsApp §1.6: a newer ACCOUNT_RESTRICTION lists the restrictions in force — dropping RESTRICTED_BIZ_INITIATED_MESSAGING lifts it while the customer-initiated one stays', async () => {
      const [writer, cold] = [deNumber(), deNumber()];
      await waInbound(writer, undefined, { phoneId: PHONE_R, waba: WABA_R });
      const expiration = Math.floor((stack.now() + 5 * HOUR) / 1000);
      const restriction = (types: string[]) =>
        wabaChange('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info: types.map((restriction_type) => ({ restriction_type, expiration })) }, WABA_R);
      await restriction(['RESTRICTED_BIZ_INITIATED_MESSAGING', 'RESTRICTED_CUSTOMER_INITIATED_MESSAGING']);
      expect(await decide(waTemplate(cold, 'utility', 'order_update', 'de', PHONE_R))).toMatchObject({ outcome: 'refuse', reason: 'account_restricted' });
      expect(await decide(wa(writer, {}, PHONE_R))).toMatchObject({ outcome: 'refuse', reason: 'account_restricted' });
      await restriction(['RESTRICTED_CUSTOMER_INITIATED_MESSAGING']);
      expect(await decide(waTemplate(cold, 'utility', 'order_update', 'de', PHONE_R))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
      expect(await decide(wa(writer, {}, PHONE_R))).toMatchObject({ outcome: 'refuse', reason: 'account_restricted' });
      await restriction([]);
    });

    it('WhatsApp §1.6 (RESTRICTED_BIZ_INITIATED_MESSAGING "cannot initiate conversations"): a template to someone inside their window is conservatively held too (policy-rules note)', async () => {
      const writer = deNumber();
      await waInbound(writer, undefined, { phoneId: PHONE_R, waba: WABA_R });
      const expiration = Math.floor((stack.now() + HOUR) / 1000);
      await wabaChange('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info: [{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration }] }, WABA_R);
      expect(await decide(waTemplate(writer, 'utility', 'order_update', 'de', PHONE_R))).toMatchObject({ outcome: 'refuse', reason: 'account_restricted' });
      await wabaChange('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info: [] }, WABA_R);
    });

    it('WhatsApp §5.7: after 131049 a marketing template is held outside the window, and goes inside a window the person opened (those do not count towards the limit)', async () => {
      const user = deNumber();
      await waFailed(user, 131049);
      stack.advance(1000);
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'refuse', reason: 'marketing_limit_backoff' });
      await waInbound(user);
      expect(await decide(waTemplate(user, 'marketing', 'spring_sale'))).toMatchObject({ outcome: 'allow', route: expect.stringMatching(/^whatsapp\./) as string });
      expect(await decide(wa(user))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form' });
    });

    it('Messenger §1.2 + §2.9: a message delivered on standby (another app owns the thread) still opens the Page’s window', async () => {
      const user = psid();
      await webhook({ object: 'page', entry: [{ id: PAGE, time: stack.now(), standby: [fromUser(user, PAGE, { message: { mid: `m_${next()}`, text: 'Can I talk to a person?' } })] }] });
      expect(await decide(ms(user))).toMatchObject({ outcome: 'allow' });
    });

    it('Messenger §5 (FAQ): the person replying to a marketing message opens a new 24 h window — promotion then goes as UPDATE despite the token’s cooldown', async () => {
      const user = psid();
      const token = `81${String(next()).padStart(17, '0')}`;
      await marketingOptIn(user, PAGE, token);
      stack.simulator.addOptInToken({ accountId: PAGE, userId: user, token });
      expect(await send(promo(user))).toMatchObject({ senderStatus: 'sent', route: 'messenger.recurring_notification' });
      expect(await decide(promo(user))).toMatchObject({ outcome: 'refuse', reason: 'recurring_notification_cooldown' });
      stack.advance(MINUTE);
      await userMessage(user);
      expect(await decide(promo(user))).toMatchObject({ outcome: 'allow', route: 'messenger.update' });
    });

    it('Messenger §5: Marketing Message API deliveries and reads are not the person acting — they open no window', async () => {
      const user = psid();
      const change = (field: string) => ({
        field,
        value: {
          recipient_id: user,
          page_id: US_PAGE,
          app_id: '1122334455667788',
          timestamp: stack.now(),
          mid: `m_${next()}`,
          marketing_message_tracking_id: String(4738291056473829105n + BigInt(next())),
          messenger_subscription_token: `AQF${next()}`,
          message_id: '120215000000000101',
        },
      });
      await webhook({ object: 'page', entry: [{ id: US_PAGE, time: stack.now(), changes: [change('marketing_message_deliveries'), change('marketing_message_reads')] }] });
      expect(await decide(ms(user, {}, US_PAGE))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    });

    it('Messenger §2.5 + §5 (2300034): a Marketing Message API opt-out comes with no webhook — the failed send is what stops the next one', async () => {
      const user = psid();
      const token = `82${String(next()).padStart(17, '0')}`;
      await marketingOptIn(user, US_PAGE, token);
      // At Meta the person has already opted out through the message's opt-out link.
      stack.simulator.addOptInToken({ accountId: US_PAGE, userId: user, token, status: 'stopped' });
      const intent = promo(user, US_PAGE, { campaignMessageId: '120215000000000106' });
      expect(await decide(intent)).toMatchObject({ outcome: 'allow' });
      expect(await send(intent)).toMatchObject({ senderStatus: 'failed', errorCode: 2300034 });
      expect(await decide(intent)).toMatchObject({ outcome: 'refuse', reason: 'opt_in_stopped' });
    });

    it('Messenger §4.4 (10/1893015): a legacy token the person stopped at Meta — the failed send stops the topic', async () => {
      const user = psid();
      const token = `83${String(next()).padStart(17, '0')}`;
      await marketingOptIn(user, PAGE, token);
      stack.simulator.addOptInToken({ accountId: PAGE, userId: user, token, status: 'stopped' });
      expect(await send(promo(user))).toMatchObject({ senderStatus: 'failed', errorCode: 10 });
      expect(await decide(promo(user))).toMatchObject({ outcome: 'refuse', reason: 'opt_in_stopped' });
    });

    const tierRecipients: string[] = [];
    it('WhatsApp §5.9 (setup for the next scenario): under TIER_50, 50 unique people outside any window get a utility template', async () => {
      await wabaChange('phone_number_quality_update', { display_phone_number: '15550783899', event: 'ONBOARDING', max_daily_conversations_per_business: 'TIER_50' }, WABA_L);
      const ids: string[] = [];
      for (let i = 0; i < 50; i += 1) {
        const user = deNumber();
        tierRecipients.push(user);
        const response = await call('POST', '/admin/sends', { intent: waTemplate(user, 'utility', 'order_update', 'de', PHONE_L), idempotencyKey: `tier-${next()}` });
        expect(response.status).toBe(202);
        ids.push(((await response.json()) as { outboxId: string }).outboxId);
      }
      await stack.waitUntilDrained();
      const records = await stack.records(ids);
      expect(records.filter((r) => r.status === 'sent')).toHaveLength(50);
    });

    // Meta's messaging limit (whatsapp-cloud-api.md §5.9, [M] M-LIMITS: "the maximum number of unique
    // users you can deliver to outside a customer service window within a moving 24h", portfolio-wide;
    // levels from phone_number_quality_update `max_daily_conversations_per_business`, §1.6). The sender's
    // limiter counts the seats; the preview reads the count.
    it('WhatsApp §5.9 + §1.6: under TIER_50 the 51st unique person reached outside the window within 24 h is refused', async () => {
      expect(tierRecipients).toHaveLength(50);
      const over = await decide(waTemplate(deNumber(), 'utility', 'order_update', 'de', PHONE_L));
      expect(over).toMatchObject({ outcome: 'refuse', reason: 'messaging_limit_reached' });
      // When the first seats come free: they count for 25–26 h (hour buckets, lambdas/domain/send/send-limits.ts).
      const freeIn = Date.parse(String((over as { earliestAt: unknown }).earliestAt)) - stack.now();
      expect(freeIn).toBeGreaterThan(24 * 3_600_000);
      expect(freeIn).toBeLessThanOrEqual(26 * 3_600_000);
      // One of the 50 already reached is counted once: a second template to them still goes.
      expect(await decide(waTemplate(tierRecipients[0] as string, 'utility', 'order_update', 'de', PHONE_L))).toMatchObject({ outcome: 'allow' });
    });

    // 130497 means "WABA restricted from messaging users in certain countries" (whatsapp-cloud-api.md §6,
    // [M] M-ERR; class HALT for that country): the next send to another person there is held too.
    it('WhatsApp §6 (130497): after Meta restricts the WABA from a country, the next template to another person there is held', async () => {
      await waFailed(deNumber(), 130497, WABA_R, PHONE_R);
      expect(await decide(waTemplate(deNumber(), 'utility', 'order_update', 'de', PHONE_R))).toMatchObject({ outcome: 'refuse', reason: 'recipient_country_restricted' });
    });
  });

  // =====================================================================================
  describe('dated rules (this block moves the clock forward: keep it last)', () => {
    it('WhatsApp §0 + §5.8: until 2026-09-30 replies and in-window utility templates are free; from 2026-10-01 free-form is a billable service message and in-window utility is billed', async () => {
      const before = deNumber();
      await waInbound(before);
      expect(await decide(wa(before))).toMatchObject({ outcome: 'allow', pricing: 'free' });
      expect(await decide(waTemplate(before, 'utility', 'order_update'))).toMatchObject({ outcome: 'allow', pricing: 'free' });

      stack.advance(Date.parse('2026-10-02T12:00:00Z') - stack.now());
      const after = deNumber();
      await waInbound(after);
      expect(await decide(wa(after))).toMatchObject({ outcome: 'allow', route: 'whatsapp.free_form', pricing: 'service' });
      expect(await decide(waTemplate(after, 'utility', 'order_update'))).toMatchObject({ outcome: 'allow', pricing: 'utility' });
    });
  });
});
