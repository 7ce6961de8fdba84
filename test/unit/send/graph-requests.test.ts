/** Interface under test: graphRequestFor, the Graph API call for each allowed route. */
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { graphRequestFor } from '../../../lambdas/send/graph-requests';

const text = (channel: SendIntent['channel'], userId: string): SendIntent => ({
  channel,
  accountId: '1234567890123456',
  userId,
  kind: 'reply',
  author: 'bot',
  content: { type: 'text', text: 'Hi' },
});
const ctx = { outboxId: 'ob_abcdefghijklmnopqrstuvwx' };

describe('graphRequestFor', () => {
  it('addresses WhatsApp numbers in E.164 with + and carries the outbox id back as biz_opaque_callback_data', () => {
    const r = graphRequestFor(text('whatsapp', '4915112345678'), 'whatsapp.free_form', ctx);
    expect(r.path).toBe('1234567890123456/messages');
    expect(r.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+4915112345678',
      type: 'text',
      text: { body: 'Hi', preview_url: false },
      biz_opaque_callback_data: ctx.outboxId,
    });
  });

  it('sends a BSUID as it is', () => {
    expect(graphRequestFor(text('whatsapp', 'DE.8820173'), 'whatsapp.free_form', ctx).body.to).toBe('DE.8820173');
  });

  it('builds WhatsApp templates with named parameters and string button indexes', () => {
    const intent: SendIntent = {
      ...text('whatsapp', '4915112345678'),
      content: {
        type: 'template',
        name: 'order_shipped',
        language: 'de',
        components: [
          { type: 'body', parameters: [{ type: 'text', name: 'order_number', value: 'SK-1' }] },
          { type: 'button', subType: 'quick_reply', index: 0, parameters: [{ type: 'payload', value: 'STOP_PROMO' }] },
        ],
      },
    };
    expect(graphRequestFor(intent, 'whatsapp.template', ctx).body.template).toEqual({
      name: 'order_shipped',
      language: { code: 'de' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: 'SK-1', parameter_name: 'order_number' }] },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'STOP_PROMO' }] },
      ],
    });
  });

  it.each([
    ['messenger.response', { messaging_type: 'RESPONSE' }],
    ['messenger.update', { messaging_type: 'UPDATE' }],
    ['messenger.human_agent', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }],
    ['instagram.human_agent', { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }],
  ] as const)('%s sends with %p and the outbox id as metadata', (route, expected) => {
    const r = graphRequestFor(text('messenger', '6543210987654321'), route, ctx);
    expect(r.body).toMatchObject({ recipient: { id: '6543210987654321' }, ...expected, message: { text: 'Hi' }, metadata: ctx.outboxId });
  });

  it('sends legacy recurring notifications to the token, not the PSID', () => {
    const r = graphRequestFor(text('messenger', '6543210987654321'), 'messenger.recurring_notification', { ...ctx, optInToken: 'tok' });
    expect(r.body.recipient).toEqual({ notification_messages_token: 'tok' });
  });

  it('sends Marketing Message API messages through the ad account with the subscription token', () => {
    const intent = { ...text('messenger', '6543210987654321'), kind: 'marketing' as const, campaignMessageId: '120215000000000101' };
    const r = graphRequestFor(intent, 'messenger.marketing_message', { ...ctx, optInToken: 'tok', adAccountId: '42' });
    expect(r).toMatchObject({
      path: 'act_42/messages',
      body: { message_id: '120215000000000101', messenger_delivery_data: { subscription_token: 'tok' }, message: { text: 'Hi' } },
    });
  });

  it('refuses to build a Marketing Message API call without an ad account', () => {
    const intent = { ...text('messenger', '6543210987654321'), campaignMessageId: '1' };
    expect(() => graphRequestFor(intent, 'messenger.marketing_message', { ...ctx, optInToken: 'tok' })).toThrow('missing ad account id');
  });

  it('sends opt-in requests as a notification_messages template', () => {
    const intent: SendIntent = { ...text('messenger', '6543210987654321'), kind: 'opt_in_request', content: { type: 'opt_in_request', title: 'Weekly deals', payload: 'topic:deals' } };
    const r = graphRequestFor(intent, 'messenger.opt_in_request', ctx);
    expect(r.body.message).toEqual({
      attachment: { type: 'template', payload: { template_type: 'notification_messages', title: 'Weekly deals', payload: 'topic:deals', notification_messages_cta_text: 'GET_UPDATES' } },
    });
  });
});
