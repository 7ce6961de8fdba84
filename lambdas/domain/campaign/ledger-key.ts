import { createHash } from 'node:crypto';

/**
 * A send's key in the contact's marketing ledger: 16 characters instead of the ~140 of the send key
 * (`campaign#occurrence#channel#account#user`), so 30 days of entries stay far from DynamoDB's 400 KB
 * item limit on the contact's record, which every webhook write to that contact also touches.
 */
export const ledgerKeyOf = (sendKey: string): string => createHash('sha256').update(sendKey).digest('base64url').slice(0, 16);
