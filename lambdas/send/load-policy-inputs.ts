import type { AccountRef, WhatsAppIdentities } from '../domain/events';
import { storedIdentities } from '../domain/send/callback-data';
import type { AccountPolicyState, ContactPolicyState } from '../domain/send/policy-types';
import type { SendIntent } from '../domain/send/send-intent';
import type { Account, AccountRegistry } from '../ports/account-registry';
import type { StateStore } from '../ports/state-store';
import { accountPolicyState, contactPolicyState } from '../domain/send/policy-inputs';

export interface PolicyInputs {
  account: Account | undefined;
  /** Where the account's templates live: the WABA for WhatsApp, the account itself otherwise. */
  templateAccount: AccountRef;
  contact: ContactPolicyState;
  accountState: AccountPolicyState;
  /**
   * Whom to address: the person's current id. A WhatsApp person known by a BSUID whose wa_id is
   * known, or whose number or username changed, is reached under the newer id (phone first).
   */
  recipientId: string;
  /** WhatsApp: the person's ids already stored and linked, which the message's statuses then needn't write (callback-data.ts). */
  knownIds?: WhatsAppIdentities;
}

/** What the policy engine needs about a sending account: its registration, policy records and templates. */
export const loadAccountPolicy = async (
  deps: { store: Pick<StateStore, 'getAccountPolicy' | 'listTemplates'>; accounts: AccountRegistry },
  ref: AccountRef,
  now: number,
): Promise<Omit<PolicyInputs, 'contact' | 'recipientId'>> => {
  const account = await deps.accounts.get(ref);
  const templateAccount: AccountRef = account?.wabaId ? { channel: 'whatsapp', accountId: account.wabaId } : ref;
  const [ownPolicy, wabaPolicy, templates] = await Promise.all([
    deps.store.getAccountPolicy(ref),
    templateAccount === ref ? Promise.resolve(undefined) : deps.store.getAccountPolicy(templateAccount),
    deps.store.listTemplates(templateAccount),
  ]);
  return { account, templateAccount, accountState: accountPolicyState(account, ref, [wabaPolicy, ownPolicy], templates, now) };
};

/** Everything the policy engine needs about one send, read from storage. */
export const loadPolicyInputs = async (
  deps: { store: Pick<StateStore, 'getAccountPolicy' | 'listTemplates' | 'getPerson'>; accounts: AccountRegistry },
  intent: SendIntent,
  now: number,
): Promise<PolicyInputs> => {
  const ref: AccountRef = { channel: intent.channel, accountId: intent.accountId };
  const [accountInputs, person] = await Promise.all([loadAccountPolicy(deps, ref, now), deps.store.getPerson({ ...ref, userId: intent.userId })]);
  const contact = contactPolicyState(person);
  const recipientId = person?.userId ?? intent.userId;
  // A number the contact record doesn't know yet (an imported list) still counts for the +1 rule.
  if (intent.channel === 'whatsapp' && !contact.waId && /^\+?\d{6,15}$/.test(intent.userId)) contact.waId = intent.userId.replace(/^\+/, '');
  const knownIds = intent.channel === 'whatsapp' ? storedIdentities(person?.state) : undefined;
  return { ...accountInputs, contact, recipientId, ...(knownIds === undefined ? {} : { knownIds }) };
};
