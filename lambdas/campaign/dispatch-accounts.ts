import type { AccountRef } from '../domain/events';
import { accountKey, type DispatchAccount } from '../domain/campaign/plan-dispatch';
import type { Campaign } from '../schemas/campaign';
import { loadAccountPolicy } from '../send/load-policy-inputs';
import type { DispatcherDeps } from './dispatcher-deps';

/**
 * Each sending account's policy state and zone, read once per call rather than per contact.
 * An unregistered account is left out: the planner then skips its contacts as account_unknown.
 */
export const loadDispatchAccounts = async (
  deps: Pick<DispatcherDeps, 'store' | 'accounts'>,
  campaign: Campaign,
  now: number,
): Promise<Record<string, DispatchAccount>> => {
  const entries = await Promise.all(
    campaign.accounts.map(async (ref) => {
      const account = await loadDispatchAccount(deps, ref, now);
      return account === undefined ? undefined : ([accountKey(ref.channel, ref.accountId), account] as const);
    }),
  );
  return Object.fromEntries(entries.filter((e) => e !== undefined));
};

/** One sending account's policy state and zone; undefined when it is not registered. */
export const loadDispatchAccount = async (
  deps: Pick<DispatcherDeps, 'store' | 'accounts'>,
  ref: AccountRef,
  now: number,
): Promise<DispatchAccount | undefined> => {
  const { account, accountState } = await loadAccountPolicy(deps, ref, now);
  return account === undefined ? undefined : { state: accountState, timeZone: account.timezone };
};
