import type { MarketingPreferenceEvent, OptInEvent, WebhookEvent } from '../domain/events';
import { growthCounterOf } from '../domain/measurement/audience-growth';
import { countGrowthEvent } from '../measurement/note-conversation';
import type { AccountRegistry } from '../ports/account-registry';
import type { MeasurementCounters } from '../ports/measurement-counters';

const isGrowthEvent = (event: WebhookEvent): event is OptInEvent | MarketingPreferenceEvent => event.type === 'opt_in' || event.type === 'marketing_preference';

/**
 * Audience growth from a webhook body (README "Audience growth"): each Messenger/Instagram opt-in,
 * resume or stop and each WhatsApp `user_preferences` stop or resume of a registered account counts
 * once, under its event key, on the account's local day of Meta's time. Bodies without such events
 * (nearly all) cost nothing here; the rest one account listing and one write per event.
 */
export const countWebhookGrowth = async (counters: MeasurementCounters, registry: Pick<AccountRegistry, 'list'>, events: readonly WebhookEvent[]): Promise<void> => {
  const growth = events.filter(isGrowthEvent);
  if (growth.length === 0) return;
  const accounts = await registry.list();
  await Promise.all(
    growth.map(async (event) => {
      const account = accounts.find((a) => a.channel === event.contact.channel && a.accountId === event.contact.accountId);
      if (!account) return;
      await countGrowthEvent(counters, event.contact, { eventKey: event.eventKey, at: event.occurredAt, counter: growthCounterOf(event) }, account.timezone);
    }),
  );
};
