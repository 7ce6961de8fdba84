import type { WebhookEvent } from '../domain/events';
import type { Account } from '../ports/account-registry';

/**
 * Whether an event concerns a registered account. WhatsApp template, quality and account events are
 * addressed to the WABA, so they count as registered when a registered phone number belongs to it.
 */
export const isRegistered = (accounts: readonly Account[], event: WebhookEvent): boolean => {
  const ref = 'contact' in event && event.contact ? event.contact : 'account' in event ? event.account : undefined;
  if (!ref) return true;
  return accounts.some(
    (a) => a.channel === ref.channel && (a.accountId === ref.accountId || (a.wabaId !== undefined && a.wabaId === ref.accountId)),
  );
};
