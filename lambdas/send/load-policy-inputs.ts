import type { AccountRef } from '../domain/events';
import type { AccountPolicyState, ContactPolicyState } from '../domain/send/policy-types';
import type { SendIntent } from '../domain/send/send-intent';
import type { Account, AccountRegistry } from '../ports/account-registry';
import type { StateStore } from '../ports/state-store';
import { accountPolicyState, contactPolicyState } from './policy-inputs';

export interface PolicyInputs {
  account: Account | undefined;
  /** Where the account's templates live: the WABA for WhatsApp, the account itself otherwise. */
  templateAccount: AccountRef;
  contact: ContactPolicyState;
  accountState: AccountPolicyState;
}

/** Everything the policy engine needs about one send, read from storage. */
export const loadPolicyInputs = async (
  deps: { store: StateStore; accounts: AccountRegistry },
  intent: SendIntent,
  now: number,
): Promise<PolicyInputs> => {
  const ref: AccountRef = { channel: intent.channel, accountId: intent.accountId };
  const account = await deps.accounts.get(ref);
  const templateAccount: AccountRef = account?.wabaId ? { channel: 'whatsapp', accountId: account.wabaId } : ref;
  const [person, ownPolicy, wabaPolicy, templates] = await Promise.all([
    deps.store.getPerson({ ...ref, userId: intent.userId }),
    deps.store.getAccountPolicy(ref),
    templateAccount === ref ? Promise.resolve(undefined) : deps.store.getAccountPolicy(templateAccount),
    deps.store.listTemplates(templateAccount),
  ]);
  const contact = contactPolicyState(person);
  // A number the contact record doesn't know yet (an imported list) still counts for the +1 rule.
  if (intent.channel === 'whatsapp' && !contact.waId && /^\+?\d{6,15}$/.test(intent.userId)) contact.waId = intent.userId.replace(/^\+/, '');
  return {
    account,
    templateAccount,
    contact,
    accountState: accountPolicyState(account, ref, [wabaPolicy, ownPolicy], templates, now),
  };
};
