/**
 * Interface under test: the local stack's webhook and `POST /admin/sends/preview`. Meta reports most
 * refusals after it accepted the message; each report, posted as the signed webhook Meta would send,
 * must change the next decision as the send call's own answer would.
 */
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { PAGE, PHONE, PSID, WABA } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { SAMPLE_NUMBER, userPreferenceBody } from '../helpers/whatsapp-webhook';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const seconds = (ms: number) => String(Math.floor(ms / 1000));
const metadata = { display_phone_number: '15550783881', phone_number_id: PHONE };

const marketing = (waId: string, name = 'spring_sale'): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId: waId,
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name, language: 'de' },
});
const utility = (waId: string, name = 'order_update'): SendIntent => ({ ...marketing(waId, name), kind: 'utility' });
const reply = (waId: string): SendIntent => ({ ...marketing(waId), kind: 'reply', content: { type: 'text', text: 'Danke!' } });

type Decision = { outcome: string; reason?: string; earliestAt?: string; route?: string };

describe('asynchronous Meta feedback reaches the next decision', () => {
  let stack: SendingStack;
  let entryTime = 0;

  const post = (path: string, body: unknown) =>
    fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const decide = async (intent: SendIntent): Promise<Decision> => ((await (await post('/admin/sends/preview', intent)).json()) as { decision: Decision }).decision;
  const webhook = async (body: object) => expect(await stack.postWebhook(body)).toBe(200);
  const messagesValue = (value: object) =>
    webhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata, ...value } }] }] });
  /** A status Meta reports for a message, afterchat's (with its outbox id) or another app's. */
  const status = (waId: string, value: string, extra: object = {}) =>
    messagesValue({ statuses: [{ id: `wamid.${waId}.${value}.${stack.now()}`, status: value, timestamp: seconds(stack.now()), recipient_id: waId, ...extra }] });
  const failed = (waId: string, code: number, extra: object = {}) => status(waId, 'failed', { errors: [{ code, title: `error ${code}` }], ...extra });
  /** A WABA-level change; each gets its own entry time, as Meta's do. */
  const wabaChange = (field: string, value: object) => {
    entryTime = Math.max(entryTime + 1, Math.floor(stack.now() / 1000));
    return webhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, time: entryTime, changes: [{ field, value }] }] });
  };
  const template = (name: string, event: string, category = 'MARKETING') =>
    wabaChange('message_template_status_update', {
      event,
      message_template_id: 1689556908129835,
      message_template_name: name,
      message_template_language: 'de',
      reason: 'NONE',
      message_template_category: category,
    });

  beforeAll(async () => {
    stack = await startSendingStack();
    await template('spring_sale', 'APPROVED');
    await template('order_update', 'APPROVED', 'UTILITY');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('a marketing template that Meta failed with 131050 or 131049 is refused next, after afterchat itself sent it', async () => {
    const [optedOut, limited] = ['4915100000101', '4915100000102'];
    stack.simulator.optOutMarketing({ accountId: PHONE, userId: optedOut });
    stack.simulator.setMarketingLimited({ accountId: PHONE, userId: limited });
    expect(await decide(marketing(optedOut))).toMatchObject({ outcome: 'allow' });

    const sends = await Promise.all(
      [optedOut, limited].map(async (waId) => (await (await post('/admin/sends', { intent: marketing(waId), idempotencyKey: `promo-${waId}` })).json()) as { outboxId: string }),
    );
    const failedAt = stack.now();
    await stack.waitUntilDrained();

    expect(await decide(marketing(optedOut))).toMatchObject({ outcome: 'refuse', reason: 'marketing_opted_out' });
    const backOff = await decide(marketing(limited));
    expect(backOff).toMatchObject({ outcome: 'refuse', reason: 'marketing_limit_backoff' });
    // 24 h from Meta's report (its timestamp has whole seconds).
    expect(Date.parse(backOff.earliestAt ?? '')).toBeGreaterThan(failedAt + DAY - 5000);
    expect(Date.parse(backOff.earliestAt ?? '')).toBeLessThanOrEqual(failedAt + DAY + 5000);
    // Utility is unaffected by either.
    expect(await decide(utility(optedOut))).toMatchObject({ outcome: 'allow' });
    expect(await (await fetch(`${stack.url}/admin/sends/${sends[0]?.outboxId}`)).json()).toMatchObject({ status: 'failed', errorCode: 131050 });
  });

  it('learns from failures of messages another app sent on the same number: they are facts about the person', async () => {
    const [stopped, unreachable] = ['4915100000201', '4915100000202'];
    await failed(stopped, 131050);
    expect(await decide(marketing(stopped))).toMatchObject({ reason: 'marketing_opted_out' });

    await failed(unreachable, 131026);
    expect(await decide(utility(unreachable))).toMatchObject({ reason: 'recipient_unreachable' });
    // The person writing again lifts it, as the error table says.
    stack.advance(1000);
    await messagesValue({ messages: [{ from: unreachable, id: `wamid.in_${stack.now()}`, timestamp: seconds(stack.now()), type: 'text', text: { body: 'hallo' } }] });
    expect(await decide(utility(unreachable))).toMatchObject({ outcome: 'allow' });
  });

  it('a later resume from user_preferences clears a 131050 opt-out; an earlier one does not', async () => {
    const waId = '4915100000301';
    const at = stack.now();
    await failed(waId, 131050);
    const preference = (value: 'stop' | 'resume', ms: number) => webhook(userPreferenceBody(SAMPLE_NUMBER, { waId, value, atMs: ms, detail: 'x' }));
    await preference('resume', at - HOUR);
    expect(await decide(marketing(waId))).toMatchObject({ reason: 'marketing_opted_out' });
    await preference('resume', at + 2000);
    expect(await decide(marketing(waId))).toMatchObject({ outcome: 'allow' });
  });

  it('never opens the window from a delivered, read or failed status', async () => {
    const waId = '4915100000401';
    await status(waId, 'sent');
    await status(waId, 'delivered');
    await status(waId, 'read');
    await failed(waId, 131047);
    expect(await decide(reply(waId))).toMatchObject({ outcome: 'refuse', reason: 'window_closed' });
    const contact = (await (await fetch(`${stack.url}/admin/contacts/whatsapp/${PHONE}/${waId}`)).json()) as { window: { open: boolean; lastInboundAt: unknown } };
    expect(contact.window).toMatchObject({ open: false, lastInboundAt: null });
  });

  it('a template afterchat sent that Meta fails with 132015 is paused; the same code on another app’s message pauses nothing', async () => {
    await template('autumn_sale', 'APPROVED');
    await template('winter_sale', 'APPROVED');
    const waId = '4915100000501';
    const { outboxId } = (await (await post('/admin/sends', { intent: marketing(waId, 'autumn_sale'), idempotencyKey: 'autumn-1' })).json()) as { outboxId: string };
    await stack.waitUntilDrained();
    stack.advance(1000);
    await failed(waId, 132015, { biz_opaque_callback_data: outboxId });
    await failed(waId, 132015);
    expect(await decide(marketing('4915100000502', 'autumn_sale'))).toMatchObject({ reason: 'template_paused' });
    expect(await decide(marketing('4915100000502', 'winter_sale'))).toMatchObject({ outcome: 'allow' });
  });

  it('follows a template through Meta’s statuses: PAUSED, then REINSTATED sends again; FLAGGED, ARCHIVED and DELETED do not', async () => {
    const send = () => decide(marketing('4915100000601', 'summer_sale'));
    await template('summer_sale', 'APPROVED');
    await template('summer_sale', 'PAUSED');
    expect(await send()).toMatchObject({ reason: 'template_paused' });
    await template('summer_sale', 'REINSTATED');
    expect(await send()).toMatchObject({ outcome: 'allow' });
    for (const [event, reason] of [['FLAGGED', 'template_not_approved'], ['ARCHIVED', 'template_archived'], ['PENDING_DELETION', 'template_deleted']]) {
      await template('summer_sale', event as string);
      expect(await send()).toMatchObject({ reason });
    }
  });

  it('holds answers inside the window while Meta restricts customer-initiated messaging, and everything while the WABA is disabled', async () => {
    const waId = '4915100000701';
    await stack.openWhatsAppWindows([waId]);
    const expiration = Math.floor((stack.now() + 2 * HOUR) / 1000);
    await wabaChange('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info: [{ restriction_type: 'RESTRICTED_CUSTOMER_INITIATED_MESSAGING', expiration }] });
    expect(await decide(reply(waId))).toMatchObject({ reason: 'account_restricted', earliestAt: new Date(expiration * 1000).toISOString() });
    expect(await decide(utility('4915100000702'))).toMatchObject({ outcome: 'allow' });
    await wabaChange('account_update', { event: 'ACCOUNT_RESTRICTION', restriction_info: [] });
    expect(await decide(reply(waId))).toMatchObject({ outcome: 'allow' });

    await wabaChange('account_update', { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'DISABLE', waba_ban_date: '2026-11-20' } });
    expect(await decide(utility('4915100000702'))).toMatchObject({ reason: 'account_blocked' });
    await wabaChange('account_update', { event: 'DISABLED_UPDATE', ban_info: { waba_ban_state: 'REINSTATE', waba_ban_date: '2026-11-21' } });
    expect(await decide(utility('4915100000702'))).toMatchObject({ outcome: 'allow' });
  });

  it('pauses the number for 15 minutes on a value-level error that says it can’t send (131031)', async () => {
    await messagesValue({ errors: [{ code: 131031, title: 'Account has been locked' }], statuses: [{ id: `wamid.v_${stack.now()}`, status: 'sent', timestamp: seconds(stack.now()), recipient_id: '4915100000801' }] });
    const paused = await decide(utility('4915100000801'));
    expect(paused).toMatchObject({ reason: 'account_paused' });
    const account = (await (await fetch(`${stack.url}/admin/accounts/whatsapp/${PHONE}`)).json()) as { policy: object };
    expect(account.policy).toMatchObject({ sendingPause: { reason: 'account_locked', code: 131031 }, lastMetaError: { code: 131031, title: 'Account has been locked' } });
    stack.advance(16 * 60_000);
    expect(await decide(utility('4915100000801'))).toMatchObject({ outcome: 'allow' });
  });

  it('keeps the topic of a Messenger token first seen stopped, and resumes it under that topic', async () => {
    const optin = (status: string) =>
      webhook({
        object: 'page',
        entry: [
          {
            id: PAGE,
            time: stack.now(),
            messaging: [
              {
                sender: { id: PSID },
                recipient: { id: PAGE },
                timestamp: stack.now(),
                optin: { type: 'notification_messages', payload: 'WEEKLY_DEALS', title: 'Weekly deals', notification_messages_token: '7402981736455517236', notification_messages_status: status },
              },
            ],
          },
        ],
      });
    await optin('STOP_NOTIFICATIONS');
    stack.advance(1000);
    const contactOf = async () => (await (await fetch(`${stack.url}/admin/contacts/messenger/${PAGE}/${PSID}`)).json()) as { optIns: object[] };
    expect((await contactOf()).optIns).toEqual([expect.objectContaining({ status: 'stopped', topic: 'WEEKLY_DEALS', title: 'Weekly deals' })]);
    await optin('RESUME_NOTIFICATIONS');
    expect((await contactOf()).optIns).toEqual([expect.objectContaining({ status: 'active', topic: 'WEEKLY_DEALS' })]);
  });
});
