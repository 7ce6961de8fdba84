import * as z from 'zod';

export const ChannelSchema = z.enum(['messenger', 'instagram', 'whatsapp']);

/** A registered business account, as stored and as accepted by `PUT /admin/accounts/{channel}/{accountId}`. */
export const AccountSchema = z.object({
  channel: ChannelSchema,
  accountId: z.string().regex(/^\d{1,32}$/, 'a numeric Meta id'),
  displayName: z.string().min(1).max(200),
  tokenSecret: z.string().min(1).max(2048),
  timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
  wabaId: z.string().regex(/^\d{1,32}$/).optional(),
  /** ISO 3166-1 alpha-2 country of the business: Messenger marketing products are region-bound. */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as DE').optional(),
  /** Messenger Marketing Message API: the ad account that sends and pays (`act_<id>`). */
  adAccountId: z.string().regex(/^\d{1,32}$/).optional(),
  /**
   * WhatsApp Marketing Messages API: the number's WABA accepted Meta's terms (`account_update`
   * MM_LITE_TERMS_SIGNED is recorded, but this flag is the operator's). MARKETING templates then go
   * to `/marketing_messages`; Meta's 134102 stops trusting it for a day.
   */
  marketingMessagesOnboarded: z.boolean().optional(),
  /** Messages per second Meta allows the account (WhatsApp 1,000 after THROUGHPUT_UPGRADE, 20 for coexistence; Pages up to 300). */
  throughputPerSecond: z.number().int().min(1).max(1000).optional(),
  /** WhatsApp: the business portfolio owning the WABA; numbers sharing it share one messaging limit. */
  businessPortfolioId: z.string().regex(/^\d{1,32}$/).optional(),
});

export const AccountInputSchema = AccountSchema.omit({ channel: true, accountId: true });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
