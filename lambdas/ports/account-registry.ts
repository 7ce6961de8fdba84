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
  /**
   * Messages per second Meta allows this account, when it isn't the channel's default: a WhatsApp
   * number Meta upgraded (`THROUGHPUT_UPGRADE`) sends 1,000, a coexistence number 20; a Page may be
   * set up to Meta's 300. The shared limiter paces the account at this rate.
   */
  throughputPerSecond?: number;
  /**
   * WhatsApp only: the Meta business portfolio that owns the number's WABA. Its messaging limit
   * (unique people per rolling 24 h outside the window) is shared by every number with the same
   * portfolio; without it a number counts with its WABA's other numbers.
   */
  businessPortfolioId?: string;
}

export interface AccountRegistry {
  list(): Promise<Account[]>;
  get(account: AccountRef): Promise<Account | undefined>;
  put(account: Account): Promise<void>;
  remove(account: AccountRef): Promise<boolean>;
}
