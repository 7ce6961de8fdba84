import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * The ISO 3166-1 country of a phone number in international digits (a WhatsApp wa_id), from
 * libphonenumber's metadata: for the shared +1 code it tells the US from Canada and the Caribbean by
 * area code. Undefined when the digits match no country's numbering plan.
 */
export const countryOfPhone = (digits: string): string | undefined =>
  parsePhoneNumberFromString(`+${digits.replace(/^\+/, '')}`)?.country;
