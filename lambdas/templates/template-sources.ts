import type { AccountRef } from '../domain/events';
import type { Account, AccountRegistry } from '../ports/account-registry';

/** Where an account's templates live, and whose token reads them. */
export interface TemplateSource {
  /** WhatsApp: the WABA (`{channel: 'whatsapp', accountId: wabaId}`); Messenger: the Page. */
  owner: AccountRef;
  /** A registered account whose token reads the owner's templates: a phone number of the WABA, or the Page. */
  tokenAccount: AccountRef;
}

export type SourceRefusal =
  /** Nobody registered can read these templates. */
  | { reason: 'unknown_account'; detail: string }
  /** Instagram has no message templates. */
  | { reason: 'no_templates_on_channel'; detail: string };

const refOf = (a: Account): AccountRef => ({ channel: a.channel, accountId: a.accountId });

/**
 * Every template source of the registry, once each: one per WABA (read with the token of its first
 * registered number, by id) and one per Page. Instagram accounts and numbers without a `wabaId` have
 * none; they are returned apart so the caller can say so.
 */
export const templateSources = (accounts: readonly Account[]): { sources: TemplateSource[]; withoutSource: AccountRef[] } => {
  const byOwner = new Map<string, TemplateSource>();
  const withoutSource: AccountRef[] = [];
  for (const account of [...accounts].sort((a, b) => a.accountId.localeCompare(b.accountId))) {
    if (account.channel === 'messenger') {
      byOwner.set(`messenger#${account.accountId}`, { owner: refOf(account), tokenAccount: refOf(account) });
    } else if (account.channel === 'whatsapp' && account.wabaId) {
      const key = `whatsapp#${account.wabaId}`;
      if (!byOwner.has(key)) byOwner.set(key, { owner: { channel: 'whatsapp', accountId: account.wabaId }, tokenAccount: refOf(account) });
    } else {
      withoutSource.push(refOf(account));
    }
  }
  return { sources: [...byOwner.values()], withoutSource };
};

/**
 * The source an operator names: a WhatsApp WABA id (as `GET /admin/templates` uses) or one of its
 * registered phone numbers; a registered Messenger Page.
 */
export const resolveTemplateSource = async (accounts: AccountRegistry, ref: AccountRef): Promise<TemplateSource | SourceRefusal> => {
  if (ref.channel === 'instagram') return { reason: 'no_templates_on_channel', detail: 'Instagram has no message templates' };
  const direct = await accounts.get(ref);
  if (ref.channel === 'messenger') {
    return direct ? { owner: ref, tokenAccount: ref } : { reason: 'unknown_account', detail: 'the Page is not registered, so afterchat has no token for it' };
  }
  if (direct?.wabaId) return { owner: { channel: 'whatsapp', accountId: direct.wabaId }, tokenAccount: ref };
  const { sources } = templateSources(await accounts.list());
  const source = sources.find((s) => s.owner.channel === 'whatsapp' && s.owner.accountId === ref.accountId);
  return (
    source ?? {
      reason: 'unknown_account',
      detail: direct
        ? 'the phone number is registered without a wabaId: set it with PUT /admin/accounts'
        : 'no registered WhatsApp number belongs to this WABA, so afterchat has no token for it',
    }
  );
};
