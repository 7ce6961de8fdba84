import type { Answer } from '../../api/client';

export type Contact = Answer<'getContact'>;
export type Channel = Contact['channel'];

/** Who a contact page is about: the admin API's path parameters. */
export interface ContactRef {
  channel: Channel;
  accountId: string;
  userId: string;
}

const CHANNELS: readonly string[] = ['whatsapp', 'messenger', 'instagram'] satisfies Channel[];

export const isChannel = (value: string): value is Channel => CHANNELS.includes(value);

/** The console path of a contact's page. */
export const contactHref = (c: { channel: string; accountId: string; userId: string }): string =>
  `/contacts/${encodeURIComponent(c.channel)}/${encodeURIComponent(c.accountId)}/${encodeURIComponent(c.userId)}`;
