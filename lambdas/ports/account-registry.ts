import type { AccountRef, Channel } from '../domain/events';

/** A business account this deployment serves. */
export interface Account {
  channel: Channel;
  /** Page id, Instagram account id, or WhatsApp phone_number_id. */
  accountId: string;
  displayName: string;
  /** Name or ARN of the Secrets Manager secret holding this account's access token. */
  tokenSecret: string;
  /** IANA time zone, the fallback for contacts without one. */
  timezone: string;
  /** WhatsApp only: the WABA the phone number belongs to (templates are per WABA). */
  wabaId?: string;
  /** ISO 3166-1 alpha-2 country of the business (Messenger marketing region rules). */
  country?: string;
  /** Messenger Marketing Message API ad account id (without `act_`). */
  adAccountId?: string;
  /**
   * WhatsApp only: the operator says the number's WABA is onboarded to the Marketing Messages API,
   * so MARKETING templates go to `/marketing_messages` (from Meta's 2026-09-21 routing by category).
   */
  marketingMessagesOnboarded?: boolean;
}

export interface AccountRegistry {
  list(): Promise<Account[]>;
  get(account: AccountRef): Promise<Account | undefined>;
  put(account: Account): Promise<void>;
  remove(account: AccountRef): Promise<boolean>;
}
