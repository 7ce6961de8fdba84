/** Interface under test: graphRequestFor, the Graph API call for each allowed route. */
import { callbackDataFor, outboxIdOfCallback } from '../../../lambdas/domain/send/callback-data';
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

  it("tags the callback data with the recipient's ids the sender found stored, on every WhatsApp route, so the statuses needn't write them", () => {
    const knownIds = { waId: '4915112345678', bsuid: 'DE.88201734659910273645' };
    const tagged = callbackDataFor(ctx.outboxId, knownIds);
    expect(graphRequestFor(text('whatsapp', '4915112345678'), 'whatsapp.free_form', { ...ctx, knownIds }).body.biz_opaque_callback_data).toBe(tagged);
    const marketing: SendIntent = { ...text('whatsapp', '4915112345678'), kind: 'marketing', content: { type: 'template', name: 'weekly_deals', language: 'de' } };
    expect(graphRequestFor(marketing, 'whatsapp.marketing_message', { ...ctx, knownIds, marketingProductPolicy: 'STRICT' }).body.biz_opaque_callback_data).toBe(tagged);
    expect(outboxIdOfCallback(tagged)).toBe(ctx.outboxId);
  });

  describe('a person known only by a BSUID, in the shape the rule table names', () => {
    const bsuid = 'DE.88201734659910273645';

    it('recipient (the default): the BSUID in a separate top-level recipient, no to', () => {
      const r = graphRequestFor(text('whatsapp', bsuid), 'whatsapp.free_form', { ...ctx, bsuidRecipientField: 'recipient' });
      expect(r.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        recipient: bsuid,
        type: 'text',
        text: { body: 'Hi', preview_url: false },
        biz_opaque_callback_data: ctx.outboxId,
      });
    });

    it('to: the BSUID as it is in to, no recipient', () => {
      const r = graphRequestFor(text('whatsapp', bsuid), 'whatsapp.template', { ...ctx, bsuidRecipientField: 'to' });
      expect(r.body).toMatchObject({ recipient_type: 'individual', to: bsuid });
      expect(r.body).not.toHaveProperty('recipient');
    });

    it('a phone number always goes in to, whatever the BSUID shape', () => {
      for (const field of ['recipient', 'to'] as const) {
        const r = graphRequestFor(text('whatsapp', '+4915112345678'), 'whatsapp.free_form', { ...ctx, bsuidRecipientField: field });
        expect(r.body).toMatchObject({ to: '+4915112345678' });
        expect(r.body).not.toHaveProperty('recipient');
      }
    });

    it('refuses to guess a shape the rule table did not give', () => {
      expect(() => graphRequestFor(text('whatsapp', bsuid), 'whatsapp.free_form', ctx)).toThrow(/BSUID recipient field/);
    });

    it('reaches the Marketing Messages API in the same shape', () => {
      const marketing: SendIntent = { ...text('whatsapp', bsuid), kind: 'marketing', content: { type: 'template', name: 'spring_sale', language: 'de' } };
      const r = graphRequestFor(marketing, 'whatsapp.marketing_message', { ...ctx, bsuidRecipientField: 'recipient', marketingProductPolicy: 'STRICT' });
      expect(r.body).toMatchObject({ recipient: bsuid });
      expect(r.body).not.toHaveProperty('to');
    });
  });

  it('sends WhatsApp MARKETING templates to /marketing_messages with the rule’s product_policy and the outbox id', () => {
    const marketing: SendIntent = {
      ...text('whatsapp', '4915112345678'),
      kind: 'marketing',
      content: { type: 'template', name: 'spring_sale', language: 'de', components: [{ type: 'body', parameters: [{ type: 'text', value: '20 %' }] }] },
    };
    const r = graphRequestFor(marketing, 'whatsapp.marketing_message', { ...ctx, marketingProductPolicy: 'STRICT' });
    expect(r).toEqual({
      channel: 'whatsapp',
      accountId: '1234567890123456',
      path: '1234567890123456/marketing_messages',
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+4915112345678',
        type: 'template',
        template: { name: 'spring_sale', language: { code: 'de' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '20 %' }] }] },
        product_policy: 'STRICT',
        biz_opaque_callback_data: ctx.outboxId,
      },
    });
    expect(() => graphRequestFor(marketing, 'whatsapp.marketing_message', ctx)).toThrow(/product_policy/);
    expect(() => graphRequestFor(text('whatsapp', '4915112345678'), 'whatsapp.marketing_message', { ...ctx, marketingProductPolicy: 'STRICT' })).toThrow(
      /template/,
    );
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
