import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { OutboxChange } from '../../ports/status-funnel';
import type { StateStreamRecord } from '../../schemas/outbox-stream';
import { OUTBOX_PREFIX } from './keys';
import { outboxRecordOf } from './outbox';

/** The stream's images are DynamoDB JSON; the schema checks their shape, not each value's type. */
const itemOf = (image: Record<string, Record<string, unknown>>): Record<string, unknown> => unmarshall(image as unknown as Record<string, AttributeValue>);

/**
 * The writes of sends' outbox records among a stream batch's records, in the batch's order: an
 * update of a record a send created (its old image holds the idempotency key), before and after. A
 * record a status recreated after its send's expired is no send, as for the state store.
 */
export const outboxChangesOf = (records: readonly StateStreamRecord[]): OutboxChange[] =>
  records.flatMap(({ eventName, dynamodb }) => {
    if (eventName !== 'MODIFY' || dynamodb.OldImage === undefined || dynamodb.NewImage === undefined) return [];
    const before = itemOf(dynamodb.OldImage);
    if (typeof before.pk !== 'string' || !before.pk.startsWith(OUTBOX_PREFIX) || typeof before.idempotencyKey !== 'string') return [];
    return [{ sequence: dynamodb.SequenceNumber, before: outboxRecordOf(before), after: outboxRecordOf(itemOf(dynamodb.NewImage)) }];
  });
