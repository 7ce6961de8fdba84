import type { AccountRef } from '../domain/events';

/** Per-account Graph API access tokens (Page tokens, system-user tokens). Values never reach logs. */
export interface AccessTokens {
  tokenFor(account: AccountRef): Promise<string>;
}
