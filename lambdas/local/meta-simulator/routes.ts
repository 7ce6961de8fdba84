import { isRecord } from './http-io';
import type { PageChannel } from './messenger-send';
import type { SimulatorConfig } from './options';

/** Which send API a request is for. */
export type Target = { api: 'whatsapp' } | { api: 'whatsapp_marketing' } | { api: 'marketing' } | { api: 'page'; channel: PageChannel };

export interface Endpoint {
  version: string;
  /** Page id, Instagram account id, phone_number_id, or `act_<ad account id>`. */
  accountId: string;
  /** `marketing_messages`: WhatsApp's Marketing Messages API (`/{phone_number_id}/marketing_messages`). */
  edge: 'messages' | 'marketing_messages';
}

const MESSAGES_PATH = /^\/(?<version>v\d+\.\d+)\/(?<accountId>[^/]+)\/(?<edge>messages|marketing_messages)\/?$/;

export const matchEndpoint = (pathname: string): Endpoint | undefined => {
  const groups = MESSAGES_PATH.exec(pathname)?.groups;
  return groups?.version && groups.accountId
    ? { version: groups.version, accountId: groups.accountId, edge: groups.edge === 'marketing_messages' ? 'marketing_messages' : 'messages' }
    : undefined;
};

const versionNumber = (version: string): number => {
  const [major = 0, minor = 0] = version.slice(1).split('.').map(Number);
  return major * 1000 + minor;
};

export const isOlderVersion = (version: string, oldest: string): boolean => versionNumber(version) < versionNumber(oldest);

/**
 * Meta knows each node's type; the simulator knows `act_` ad accounts, the phone numbers and
 * Instagram accounts it was told about, and otherwise goes by `messaging_product`, which only
 * WhatsApp bodies carry.
 */
export const targetOf = (accountId: string, body: unknown, config: SimulatorConfig): Target => {
  if (accountId.startsWith('act_')) return { api: 'marketing' };
  if (config.whatsappNumbers.has(accountId) || (isRecord(body) && body.messaging_product === 'whatsapp')) return { api: 'whatsapp' };
  return { api: 'page', channel: config.instagramAccounts.has(accountId) ? 'instagram' : 'messenger' };
};
