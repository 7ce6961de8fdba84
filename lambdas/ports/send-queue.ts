/** The SQS send queue: one message per job, the outbox id as its body. */
export interface SendQueue {
  enqueue(outboxIds: readonly string[], options?: { delaySeconds?: number }): Promise<void>;
}
