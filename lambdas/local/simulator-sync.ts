import type { AccountRef, WebhookEvent } from '../domain/events';
import type { AccountRegistry } from '../ports/account-registry';
import type { MetaSimulator } from './meta-simulator';
import type { TemplateCategory, TemplateStatus } from './meta-simulator/simulator-state';

const STATUSES: readonly string[] = ['APPROVED', 'PAUSED', 'DISABLED', 'PENDING', 'REJECTED'];
const CATEGORIES: readonly string[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/**
 * Locally the simulator plays Meta, and Meta knows what its webhooks say: who wrote (the window), which
 * templates are approved, who stopped marketing. Events posted to the local webhook (npm run
 * send-event) are told to the simulator too, so its sends behave as afterchat's state expects.
 */
export const tellSimulator = async (simulator: MetaSimulator, accounts: AccountRegistry, events: readonly WebhookEvent[]): Promise<void> => {
  for (const e of events) {
    if (e.type === 'inbound') {
      simulator.userMessaged({ channel: e.contact.channel, accountId: e.contact.accountId, userId: e.contact.userId, at: e.occurredAt });
    } else if (e.type === 'identity_change') {
      for (const previous of [e.previous.waId, e.previous.bsuid]) {
        if (previous !== undefined) simulator.userChangedId({ accountId: e.contact.accountId, previous, current: e.contact.userId });
      }
    } else if (e.type === 'marketing_preference' && e.value === 'stop') {
      simulator.optOutMarketing({ accountId: e.contact.accountId, userId: e.contact.userId });
    } else if (e.type === 'account_update' && e.event === 'MM_LITE_TERMS_SIGNED') {
      // Meta onboards the WABA to the Marketing Messages API when its terms are signed.
      for (const accountId of await sendersOf(accounts, e.account)) simulator.setMarketingMessagesOnboarded({ accountId });
    } else if (e.type === 'template_status' && STATUSES.includes(e.status) && e.category !== undefined && CATEGORIES.includes(e.category)) {
      for (const accountId of await sendersOf(accounts, e.account)) {
        simulator.setTemplate({
          wabaOrPageId: e.account.accountId,
          accountId,
          name: e.name,
          language: e.language,
          status: e.status as TemplateStatus,
          category: e.category as TemplateCategory,
        });
      }
    }
  }
};

/** WhatsApp templates and onboarding belong to the WABA; the simulator keys them by the numbers that send for it. */
const sendersOf = async (accounts: AccountRegistry, account: AccountRef): Promise<string[]> =>
  account.channel === 'whatsapp' ? (await accounts.list()).filter((a) => a.wabaId === account.accountId).map((a) => a.accountId) : [account.accountId];
