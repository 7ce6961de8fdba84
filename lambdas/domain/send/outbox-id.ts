import { createHash } from 'node:crypto';

/**
 * An outbox id is derived from the idempotency key (`campaign#occurrence#recipient`, or a caller's
 * key), so the same job always lands on the same record. It travels to Meta as
 * `biz_opaque_callback_data` / `metadata` and comes back on status webhooks.
 */
export const OUTBOX_ID_PREFIX = 'ob_';

export const outboxIdFor = (idempotencyKey: string): string =>
  OUTBOX_ID_PREFIX + createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 24);

export const isOutboxId = (value: string | undefined): value is string =>
  value !== undefined && value.startsWith(OUTBOX_ID_PREFIX) && value.length === OUTBOX_ID_PREFIX.length + 24;
