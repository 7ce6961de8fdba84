import type { Channel } from '../events';

/** The price-table market used when the recipient's country is not known. */
export const DEFAULT_MARKET = 'default';

interface CallingCode {
  /** E.164 country calling code (with NANP area code where it names another country), digits only. */
  code: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  note?: string;
}

/**
 * WhatsApp prices by the recipient's calling code (whatsapp-cloud-api.md §5.8), so a wa_id is enough
 * to find the market. Only the markets afterchat expects; any other code prices at the default rows.
 */
const CALLING_CODES: readonly CallingCode[] = [
  { code: '1', country: 'US', note: 'NANP: Canada shares +1 and its area codes are not listed, so CA numbers price as US.' },
  { code: '1658', country: 'JM', note: 'Jamaica is in NANP: its area codes (658, 876) win over +1 by the longest prefix.' },
  { code: '1876', country: 'JM' },
  { code: '31', country: 'NL' },
  { code: '33', country: 'FR' },
  { code: '34', country: 'ES' },
  { code: '39', country: 'IT' },
  { code: '41', country: 'CH' },
  { code: '43', country: 'AT' },
  { code: '44', country: 'GB' },
  { code: '49', country: 'DE' },
  { code: '52', country: 'MX' },
  { code: '55', country: 'BR' },
  { code: '62', country: 'ID' },
  { code: '91', country: 'IN' },
];

/** Longest first, so the first match is the longest prefix. */
const BY_LENGTH = [...CALLING_CODES].sort((a, b) => b.code.length - a.code.length);

/** An E.164 number as WhatsApp writes a wa_id: digits, no '+', no leading 0, at most 15 digits. */
const WA_ID = /^[1-9]\d{6,14}$/;

/**
 * The market a recipient is priced in. Messenger PSIDs and Instagram IGSIDs carry no country, and a
 * WhatsApp BSUID (username users, 2026) is not a phone number: all of those price at the default rows.
 */
export const marketOf = (channel: Channel, userId: string): string => {
  if (channel !== 'whatsapp' || !WA_ID.test(userId)) return DEFAULT_MARKET;
  return BY_LENGTH.find((entry) => userId.startsWith(entry.code))?.country ?? DEFAULT_MARKET;
};
