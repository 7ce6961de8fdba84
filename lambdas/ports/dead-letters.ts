/**
 * The send queue's dead-letter queue, as the sweeper reads it: jobs that failed every delivery.
 * SQS moves the message but leaves the job's record as the last attempt left it (often `claimed`),
 * so something has to read the queue to end them.
 */
export interface DeadLetter {
  /** The job's outbox id; absent when the message is not a job (malformed body). */
  outboxId?: string;
  /** What `remove` takes to delete the message. */
  receipt: string;
}

export interface DeadLetters {
  /** Up to `max` messages, hidden from other readers for a while (deleted only by `remove`). */
  receive(max: number): Promise<DeadLetter[]>;
  remove(receipts: readonly string[]): Promise<void>;
}
