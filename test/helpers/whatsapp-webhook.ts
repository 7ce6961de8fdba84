/**
 * WhatsApp webhook bodies from people, as Meta posts them to a business number (the shapes of
 * events/meta/whatsapp/). Built in whatsapp-api-js's style: a message's content is made on its own
 * (`text('STOP')`, `reaction(…)`), put in a person's hands with `from(sender, content)`, and the
 * messages of one body go into one envelope (`messagesBody`).
 */
import { PHONE, WABA } from './sample-ids';

export interface BusinessNumber {
  phoneNumberId: string;
  wabaId: string;
}

/** The sample number of test/helpers/sample-ids.ts. */
export const SAMPLE_NUMBER: BusinessNumber = { phoneNumberId: PHONE, wabaId: WABA };

export interface Sender {
  waId: string;
  /** The message's wamid. */
  id: string;
  /** When the person sent it (Meta's timestamps are whole seconds). */
  atMs: number;
  /** Meta's BSUID for the person, named beside the wa_id (v24.0+). */
  bsuid?: string;
  /** The profile name Meta shows in `contacts`. */
  name?: string;
}

export interface Content {
  type: string;
  [field: string]: unknown;
}

export interface InboundMessage {
  sender: Sender;
  message: Record<string, unknown>;
}

export const text = (body: string): Content => ({ type: 'text', text: { body } });

export const reaction = (messageId: string, emoji: string): Content => ({ type: 'reaction', reaction: { message_id: messageId, emoji } });

export const from = (sender: Sender, content: Content): InboundMessage => ({
  sender,
  message: {
    from: sender.waId,
    ...(sender.bsuid === undefined ? {} : { from_user_id: sender.bsuid }),
    id: sender.id,
    timestamp: String(Math.floor(sender.atMs / 1000)),
    ...content,
  },
});

const envelope = (number: BusinessNumber, field: string, value: object) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: number.wabaId,
      changes: [
        { field, value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: number.phoneNumberId }, ...value } },
      ],
    },
  ],
});

/** One `messages` change carrying `messages`, each sender named once in `contacts`, as Meta batches them. */
export const messagesBody = (number: BusinessNumber, ...messages: readonly InboundMessage[]) => {
  const senders = new Map(messages.map(({ sender }) => [sender.waId, sender]));
  return envelope(number, 'messages', {
    contacts: [...senders.values()].map((s) => ({ profile: { name: s.name ?? 'Kim' }, wa_id: s.waId, ...(s.bsuid === undefined ? {} : { user_id: s.bsuid }) })),
    messages: messages.map((m) => m.message),
  });
};

/** A body holding one text from one person. */
export const textBody = (number: BusinessNumber, sender: Sender, body: string) => messagesBody(number, from(sender, text(body)));

/** A person's marketing preference as Meta reports it (`user_preferences`, whatsapp-cloud-api.md §5.6). */
export const userPreferenceBody = (
  number: BusinessNumber,
  p: { waId: string; value: 'stop' | 'resume'; atMs: number; detail?: string },
) =>
  envelope(number, 'user_preferences', {
    contacts: [{ wa_id: p.waId }],
    user_preferences: [
      { wa_id: p.waId, detail: p.detail ?? 'User requested to stop marketing messages', category: 'marketing_messages', value: p.value, timestamp: Math.floor(p.atMs / 1000) },
    ],
  });

/** `delivered` for a message another app sent from the number (no callback data): kept as a message item naming its recipient. */
export const otherAppStatusBody = (number: BusinessNumber, p: { waId: string; wamid: string; atSeconds: number }) =>
  envelope(number, 'messages', { statuses: [{ id: p.wamid, status: 'delivered', timestamp: String(p.atSeconds), recipient_id: p.waId }] });
