/**
 * Signed WhatsApp webhooks shaped like the samples in events/meta/whatsapp/, for scripts that drive
 * the local stack through the same door Meta uses.
 */
import { signBody } from '../../lambdas/webhook/signature';

export interface WhatsAppNumber {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
}

export interface Writer {
  waId: string;
  name: string;
}

/** One delivery of `changes` for the number's WABA. */
const delivery = (number: WhatsAppNumber, changes: object[]) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: number.wabaId, time: Math.floor(Date.now() / 1000), changes }],
});

const metadata = (number: WhatsAppNumber) => ({ display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId });

/** Every writer sends one text at `atMs`, all in one body, as Meta batches under load. */
export const inboundTexts = (number: WhatsAppNumber, writers: readonly Writer[], atMs: number) =>
  delivery(number, [
    {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: metadata(number),
        contacts: writers.map((w) => ({ profile: { name: w.name }, wa_id: w.waId })),
        messages: writers.map((w, i) => ({
          from: w.waId,
          id: `wamid.script-${w.waId}-${atMs}-${i}`,
          timestamp: String(Math.floor(atMs / 1000)),
          type: 'text',
          text: { body: 'Hallo!' },
        })),
      },
    },
  ]);

export const templateApproved = (number: WhatsAppNumber, template: { id: number; name: string; language: string; category: string }) =>
  delivery(number, [
    {
      field: 'message_template_status_update',
      value: {
        event: 'APPROVED',
        message_template_id: template.id,
        message_template_name: template.name,
        message_template_language: template.language,
        reason: null,
        message_template_category: template.category,
      },
    },
  ]);

export const marketingStopped = (number: WhatsAppNumber, waId: string, atMs: number) =>
  delivery(number, [
    {
      field: 'user_preferences',
      value: {
        messaging_product: 'whatsapp',
        metadata: metadata(number),
        contacts: [{ wa_id: waId }],
        user_preferences: [
          { wa_id: waId, detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: Math.floor(atMs / 1000) },
        ],
      },
    },
  ]);

/** Posts `body` signed with the app secret, as Meta does; anything but 200 is an error. */
export const postSigned = async (baseUrl: string, appSecret: string, body: object): Promise<void> => {
  const text = JSON.stringify(body);
  const response = await fetch(`${baseUrl}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(text, appSecret) },
    body: text,
  });
  if (response.status !== 200) throw new Error(`the webhook answered ${response.status}: ${await response.text()}`);
};

/** One text from one writer at `atMs`, its wamid unique to the writer and the time. */
export const inboundText = (number: WhatsAppNumber, writer: Writer, text: string, atMs: number) =>
  delivery(number, [
    {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: metadata(number),
        contacts: [{ profile: { name: writer.name }, wa_id: writer.waId }],
        messages: [{ from: writer.waId, id: `wamid.script-${writer.waId}-${atMs}`, timestamp: String(Math.floor(atMs / 1000)), type: 'text', text: { body: text } }],
      },
    },
  ]);

/** The writer taps a template's quick-reply button on the message `answers` (its wamid): Meta's `button` message with `context.id`. */
export const buttonTapped = (number: WhatsAppNumber, writer: Writer, answers: string, button: { text: string; payload: string }, atMs: number) =>
  delivery(number, [
    {
      field: 'messages',
      value: {
        messaging_product: 'whatsapp',
        metadata: metadata(number),
        contacts: [{ profile: { name: writer.name }, wa_id: writer.waId }],
        messages: [
          { context: { from: number.displayPhoneNumber, id: answers }, from: writer.waId, id: `wamid.script-tap-${writer.waId}-${atMs}`, timestamp: String(Math.floor(atMs / 1000)), type: 'button', button },
        ],
      },
    },
  ]);
