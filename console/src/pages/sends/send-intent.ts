/**
 * The one-off send form's fields as the send intent `POST /admin/sends[/preview]` takes, or
 * nothing while a field the intent needs is empty. Pure: no DOM, so the unit project tests it.
 */

export type Channel = 'messenger' | 'instagram' | 'whatsapp';
export type Kind = 'reply' | 'proactive_update' | 'marketing' | 'utility' | 'human_agent_reply';

export interface SendForm {
  /** `<channel>/<accountId>`, as the account picker holds it. */
  account: string;
  userId: string;
  kind: Kind;
  author: 'human' | 'bot';
  contentType: 'text' | 'template';
  text: string;
  templateName: string;
  templateLanguage: string;
  /** The template body's parameters, one per line, in order. */
  templateParameters: string;
}

export interface SendIntent {
  channel: Channel;
  accountId: string;
  userId: string;
  kind: Kind;
  author: 'human' | 'bot';
  content:
    | { type: 'text'; text: string }
    | { type: 'template'; name: string; language: string; components?: { type: 'body'; parameters: { type: 'text'; value: string }[] }[] };
}

export const KINDS: { value: Kind; label: string }[] = [
  { value: 'reply', label: 'Reply' },
  { value: 'proactive_update', label: 'Update (not promotional)' },
  { value: 'marketing', label: 'Marketing' },
  { value: 'utility', label: 'Utility (order, account, appointment)' },
  { value: 'human_agent_reply', label: 'Human agent reply (up to 7 days after their last message)' },
];

const CHANNELS: readonly string[] = ['messenger', 'instagram', 'whatsapp'];

/** The recipient as typed: a WhatsApp number may come with `+`, spaces or dashes; ids are digits (a BSUID keeps its own shape). */
const recipient = (channel: Channel, typed: string): string => {
  const trimmed = typed.trim();
  return channel === 'whatsapp' && /^\+?[\d\s-]+$/.test(trimmed) ? trimmed.replace(/[+\s-]/g, '') : trimmed;
};

export const sendIntent = (form: SendForm): SendIntent | undefined => {
  const [channel, accountId] = form.account.split('/');
  if (!channel || !CHANNELS.includes(channel) || !accountId) return undefined;
  const userId = recipient(channel as Channel, form.userId);
  if (userId === '') return undefined;
  const base = { channel: channel as Channel, accountId, userId, kind: form.kind, author: form.author };
  if (form.contentType === 'text') return form.text.trim() === '' ? undefined : { ...base, content: { type: 'text', text: form.text } };
  const name = form.templateName.trim();
  const language = form.templateLanguage.trim();
  if (name === '' || language === '') return undefined;
  const parameters = form.templateParameters
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((value) => ({ type: 'text' as const, value }));
  return { ...base, content: { type: 'template', name, language, ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}) } };
};
