/**
 * Interface under test: the local stack's webhook, contact view and send pipeline with WhatsApp's
 * 2026 identity and coexistence webhooks: `user_changed_user_id` (usernames), `standby` and
 * `messaging_handovers` (Meta Business Agent on the same number).
 */
import { loadEvent } from '../helpers/events';
import { PHONE, WABA } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

const OLD_BSUID = 'DE.88201734659910273645';
const NEW_BSUID = 'DE.55012938475610293847';
const seconds = (ms: number) => String(Math.floor(ms / 1000));
const metadata = { display_phone_number: '15550783881', phone_number_id: PHONE };

type ContactView = {
  userId: string;
  window: { open: boolean };
  identities: { waId: string | null; bsuid: string | null };
  threadHolder: { holder: string; source: string; role: string | null } | null;
};

describe('WhatsApp identities and coexistence on the local stack', () => {
  let stack: SendingStack;
  const contact = async (userId: string) => (await (await fetch(`${stack.url}/admin/contacts/whatsapp/${PHONE}/${userId}`)).json()) as ContactView;
  const messages = (value: object, field = 'messages') =>
    stack.postWebhook({ object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field, value: { messaging_product: 'whatsapp', metadata, ...value } }] }] });
  /** A sample from events/, re-timed to now so the window it opens is open. */
  const sample = (path: string, retime: (body: Record<string, unknown>, at: string) => void) => {
    const body = loadEvent(path);
    retime(body, seconds(stack.now()));
    return body;
  };

  beforeAll(async () => {
    stack = await startSendingStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('links a changed username id, so the next send to the old id reaches the same person under the new one', async () => {
    // A username user writes (no phone number shared), then changes their BSUID.
    expect(await messages({ contacts: [{ wa_id: '', user_id: OLD_BSUID }], messages: [{ from: '', from_user_id: OLD_BSUID, id: `wamid.u1_${stack.now()}`, timestamp: seconds(stack.now()), type: 'text', text: { body: 'Hallo' } }] })).toBe(200);
    stack.advance(60_000);
    const change = sample('meta/whatsapp/message-system-changed-user-id.json', (body, at) => {
      ((body.entry as { changes: { value: { messages: { timestamp: string }[] } }[] }[])[0]?.changes[0]?.value.messages[0] as { timestamp: string }).timestamp = at;
    });
    expect(await stack.postWebhook(change)).toBe(200);

    // Either id reads as the one person, answering with the new id.
    expect(await contact(OLD_BSUID)).toMatchObject({ userId: NEW_BSUID, identities: { bsuid: NEW_BSUID }, window: { open: true } });
    expect(await contact(NEW_BSUID)).toMatchObject({ userId: NEW_BSUID, window: { open: true } });

    const before = stack.simulator.accepted().length;
    const response = await fetch(`${stack.url}/admin/sends`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        intent: { channel: 'whatsapp', accountId: PHONE, userId: OLD_BSUID, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Gern!' } },
        idempotencyKey: 'reply-after-username-change',
      }),
    });
    expect(response.status).toBe(202);
    await stack.waitUntilDrained();
    const sent = stack.simulator.accepted().slice(before);
    expect(sent).toHaveLength(1);
    const body = sent[0]?.body as { to?: string; recipient?: string };
    expect([body.to, body.recipient]).toContain(NEW_BSUID);
    expect([body.to, body.recipient]).not.toContain(OLD_BSUID);
  });

  it('shows a thread Meta Business Agent holds, from a message on standby, and afterchat’s app once control is passed to it', async () => {
    const standby = sample('meta/whatsapp/standby-message.json', (body, at) => {
      ((body.entry as { changes: { value: { standby: { messages: { timestamp: string }[] } } }[] }[])[0]?.changes[0]?.value.standby.messages[0] as { timestamp: string }).timestamp = at;
    });
    expect(await stack.postWebhook(standby)).toBe(200);
    // The standby message opens the window and is recorded: the person wrote to the business.
    expect(await contact('4915112345678')).toMatchObject({ window: { open: true }, threadHolder: { holder: 'meta_business_agent', source: 'standby_message' } });

    stack.advance(5_000);
    const passed = sample('meta/whatsapp/messaging-handovers-control-passed.json', (body, at) => {
      ((body.entry as { changes: { value: { timestamp: string } }[] }[])[0]?.changes[0]?.value as { timestamp: string }).timestamp = at;
    });
    expect(await stack.postWebhook(passed)).toBe(200);
    expect(await contact('4915112345678')).toMatchObject({ threadHolder: { holder: 'this_app', source: 'handover', role: 'escalation' } });

    stack.advance(5_000);
    const taken = sample('meta/whatsapp/messaging-handovers-control-taken.json', (body, at) => {
      ((body.entry as { changes: { value: { timestamp: string } }[] }[])[0]?.changes[0]?.value as { timestamp: string }).timestamp = at;
    });
    expect(await stack.postWebhook(taken)).toBe(200);
    expect(await contact('4915112345678')).toMatchObject({ threadHolder: { holder: 'meta_business_agent', role: 'ai_agent' } });
  });
});
