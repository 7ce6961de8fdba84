/** The fake ids the samples in events/ use (see events/README.md), named once for every test. */
export const PAGE = '1234567890123456';
export const PSID = '6543210987654321';
export const IG = '17841400000000001';
export const IGSID = '9876543210987654';
export const APP = '1122334455667788';
export const APP2 = '2233445566778899';
export const WABA = '102290129340398';
export const PHONE = '109876543210987';
export const DE_WA = '4915112345678';
export const US_WA = '16505551234';
export const DE_BSUID = 'DE.88201734659910273645';
export const US_BSUID = 'US.13491208655302741918';
