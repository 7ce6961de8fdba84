import type { DeadLetter, DeadLetters } from '../../ports/dead-letters';

/** A dead-letter queue in memory, for unit tests: `add` what SQS would have moved there. */
export class InMemoryDeadLetters implements DeadLetters {
  private readonly messages = new Map<string, DeadLetter>();
  private next = 0;

  /** A dead-lettered message: a job's outbox id, or undefined for a malformed body. */
  add(outboxId: string | undefined): void {
    const receipt = `r${(this.next += 1)}`;
    this.messages.set(receipt, outboxId === undefined ? { receipt } : { outboxId, receipt });
  }

  /** Messages still in the queue. */
  size(): number {
    return this.messages.size;
  }

  receive(max: number): Promise<DeadLetter[]> {
    return Promise.resolve([...this.messages.values()].slice(0, max).map((m) => ({ ...m })));
  }

  remove(receipts: readonly string[]): Promise<void> {
    for (const receipt of receipts) this.messages.delete(receipt);
    return Promise.resolve();
  }
}
