/**
 * Profile attributes an `order.placed` may name its customer by. Each one a contact's profile
 * carries is kept as a lookup item (contact-profiles.ts), so resolving an order is one Query, not a
 * walk over the account's contacts; only these names pay that extra write. Pure.
 */
export const DEFAULT_CUSTOMER_KEY_ATTRIBUTES: readonly string[] = ['customer_id'];
