/**
 * Interface under test: the local stack's `POST /admin/templates/{channel}/{accountId}/sync` against
 * the Meta simulator's listings, read back through `POST /admin/sends/preview`, `POST /admin/sends`
 * (through the sender to the simulator) and signed template webhooks. The stack's clock is moved,
 * never slept on.
 */
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { DE_WA, PAGE, PHONE, PSID, WABA } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

const MINUTE = 60_000;

type Decision = { outcome: string; reason?: string; route?: string };
type SyncAnswer = { account: { channel: string; accountId: string }; fetchedAt: string; pages: number; complete: boolean; counts: Record<string, number> };

const whatsappUtility = (name: string): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId: DE_WA,
  kind: 'utility',
  author: 'bot',
  content: { type: 'template', name, language: 'de' },
});

const messengerUtility: SendIntent = {
  channel: 'messenger',
  accountId: PAGE,
  userId: PSID,
  kind: 'utility',
  author: 'bot',
  content: { type: 'template', name: 'order_shipped', language: 'en_US' },
};

describe('template sync on the local stack', () => {
  let stack: SendingStack;

  const post = (path: string, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const decide = async (intent: SendIntent): Promise<Decision> => ((await (await post('/admin/sends/preview', intent)).json()) as { decision: Decision }).decision;
  const sync = async (channel: string, accountId: string): Promise<SyncAnswer> => {
    const answer = await post(`/admin/templates/${channel}/${accountId}/sync`);
    expect(answer.status).toBe(200);
    return (await answer.json()) as SyncAnswer;
  };
  /** Meta's `message_template_status_update`, with its whole-second `entry.time`. */
  const statusWebhook = async (name: string, event: string, at: number) =>
    expect(
      await stack.postWebhook({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: WABA,
            time: Math.floor(at / 1000),
            changes: [
              {
                field: 'message_template_status_update',
                value: { event, message_template_id: 1689556908129835, message_template_name: name, message_template_language: 'de', reason: 'NONE', message_template_category: 'UTILITY' },
              },
            ],
          },
        ],
      }),
    ).toBe(200);

  beforeAll(async () => {
    stack = await startSendingStack({ whatsappNumbers: { [PHONE]: { wabaId: WABA, displayPhoneNumber: '15550783881' } } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('makes a WhatsApp template created only in Meta sendable', async () => {
    expect(await decide(whatsappUtility('shipping_update'))).toMatchObject({ outcome: 'refuse', reason: 'template_unknown' });
    stack.simulator.setTemplate({ accountId: PHONE, name: 'shipping_update', language: 'de', status: 'APPROVED', category: 'UTILITY', quality: 'GREEN' });

    const synced = await sync('whatsapp', WABA);

    expect(synced).toMatchObject({ account: { channel: 'whatsapp', accountId: WABA }, pages: 1, complete: true, counts: { listed: 1, created: 1, deleted: 0 } });
    expect(await decide(whatsappUtility('shipping_update'))).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    const view = (await (await fetch(`${stack.url}/admin/templates/whatsapp/${WABA}`)).json()) as { templates: Record<string, unknown>[] };
    expect(view.templates).toContainEqual(
      expect.objectContaining({
        name: 'shipping_update',
        status: 'APPROVED',
        category: 'UTILITY',
        quality: 'GREEN',
        templateId: expect.stringMatching(/^\d+$/) as unknown,
        components: [{ type: 'BODY', text: 'Template shipping_update' }],
        syncedAt: synced.fetchedAt,
      }),
    );
  });

  it('sends a Messenger utility template once a sync made it known', async () => {
    expect(await decide(messengerUtility)).toMatchObject({ outcome: 'refuse', reason: 'template_unknown' });
    stack.simulator.setTemplate({ accountId: PAGE, name: 'order_shipped', language: 'en_US', status: 'APPROVED', category: 'UTILITY' });

    expect(await sync('messenger', PAGE)).toMatchObject({ account: { channel: 'messenger', accountId: PAGE }, complete: true, counts: { created: 1 } });
    const sent = await post('/admin/sends', { intent: messengerUtility, idempotencyKey: 'order-1-shipped' });
    expect(sent.status).toBe(202);
    const { outboxId } = (await sent.json()) as { outboxId: string };
    await stack.waitUntilDrained();

    const accepted = stack.simulator.accepted().filter((m) => m.channel === 'messenger' && m.recipient === PSID);
    expect(accepted).toContainEqual(expect.objectContaining({ kind: 'template', messagingType: 'UTILITY', template: { name: 'order_shipped', language: 'en_US' } }));
    expect((await stack.records([outboxId]))[0]).toMatchObject({ route: 'messenger.utility_template' });
  });

  it('orders a snapshot by the time it was fetched: a newer webhook wins over it, an older one loses', async () => {
    stack.simulator.setTemplate({ accountId: PHONE, name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' });
    const firstSync = stack.now();
    await sync('whatsapp', WABA);

    // A PAUSED webhook a minute after the snapshot is newer: it wins.
    await statusWebhook('order_update', 'PAUSED', firstSync + MINUTE);
    expect(await decide(whatsappUtility('order_update'))).toMatchObject({ outcome: 'refuse', reason: 'template_paused' });

    // Meta lifted the pause (no webhook came); a later snapshot says APPROVED and wins over the older webhook.
    stack.simulator.setTemplate({ accountId: PHONE, name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' });
    stack.advance(3 * MINUTE);
    const secondSync = stack.now();
    expect((await sync('whatsapp', WABA)).counts).toMatchObject({ changed: 1 });
    expect(await decide(whatsappUtility('order_update'))).toMatchObject({ outcome: 'allow' });

    // A PAUSED webhook from before that snapshot, delivered late, loses to it.
    await statusWebhook('order_update', 'PAUSED', secondSync - MINUTE);
    expect(await decide(whatsappUtility('order_update'))).toMatchObject({ outcome: 'allow' });

    // One from after it still wins.
    await statusWebhook('order_update', 'PAUSED', secondSync + MINUTE);
    expect(await decide(whatsappUtility('order_update'))).toMatchObject({ outcome: 'refuse', reason: 'template_paused' });
  });

  it('answers 404 for an account nobody registered and 400 for Instagram', async () => {
    expect((await post('/admin/templates/whatsapp/300000000000009/sync')).status).toBe(404);
    expect((await post('/admin/templates/instagram/17841400000000001/sync')).status).toBe(400);
    expect((await post('/admin/templates/telegram/1/sync')).status).toBe(400);
  });
});
