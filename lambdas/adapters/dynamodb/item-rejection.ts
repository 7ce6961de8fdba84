import { ItemRejected } from '../../ports/state-store';

/**
 * Errors that say the item itself can't be stored, so a retry would meet them again: DynamoDB's
 * ValidationException (a key over 2,048 / 1,024 bytes, an item over 400 KB, a number out of range)
 * and the document client's marshalling errors, thrown before any request (a number beyond the safe
 * integers, NaN). Throttles, timeouts and 5xx are none of these: they stay errors, so Meta retries.
 */
const REFUSED_NAMES = new Set(['ValidationException', 'ItemCollectionSizeLimitExceededException']);
const MARSHALLING = /Use NumberValue from @aws-sdk\/lib-dynamodb|Special numeric value|removeUndefinedValues|Unsupported type passed|convertEmptyValues/;

export const isItemRejection = (error: unknown): boolean =>
  error instanceof Error && (REFUSED_NAMES.has(error.name) || (!('$metadata' in error) && MARSHALLING.test(error.message)));

/** `ItemRejected` for an item's own refusal; any other error as it was. */
export const asItemRejection = (error: unknown): unknown => {
  if (error instanceof ItemRejected || !isItemRejection(error)) return error;
  return new ItemRejected(MARSHALLING.test((error as Error).message) && (error as Error).name === 'Error' ? 'MarshallingError' : (error as Error).name);
};
