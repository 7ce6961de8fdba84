import { randomUUID } from 'node:crypto';
import { type ClaimResult, type NewJob, newOutboxRecord, type Outbox, type OutboxOutcome, type OutboxRecord } from '../../lambdas/ports/outbox';

/** An Outbox with the DynamoDB adapter's conditions, in memory: for benchmarks of the sender alone. */
export class MemoryOutbox implements Outbox {
  readonly records = new Map<string, OutboxRecord>();

  create(job: NewJob) {
    const record = newOutboxRecord(job);
    const { outboxId } = record;
    const existing = this.records.get(outboxId);
    if (existing) return Promise.resolve({ created: false, record: existing });
    this.records.set(outboxId, record);
    return Promise.resolve({ created: true, record });
  }

  get(outboxId: string) {
    return Promise.resolve(this.records.get(outboxId));
  }

  getMany(outboxIds: readonly string[]) {
    return Promise.resolve(outboxIds.flatMap((id) => this.records.get(id) ?? []));
  }

  /** Ordered by outbox id, as the index's sort key orders them; the cursor is the last id returned. */
  listGroup(group: string, cursor: string | undefined, limit: number) {
    const ids = [...this.records.values()]
      .filter((r) => r.group === group && (cursor === undefined || r.outboxId > cursor))
      .map((r) => r.outboxId)
      .sort();
    const outboxIds = ids.slice(0, limit);
    return Promise.resolve(ids.length > limit ? { outboxIds, cursor: outboxIds.at(-1) } : { outboxIds });
  }

  claim(outboxId: string, now: number, staleAfterMs: number): Promise<ClaimResult> {
    const r = this.records.get(outboxId);
    const fresh = r?.status === 'queued' && (r.notBefore === undefined || r.notBefore <= now);
    const stale = r?.status === 'claimed' && (r.claimedAt ?? 0) < now - staleAfterMs && r.sendingAt === undefined;
    if (!r || !(fresh || stale)) return Promise.resolve({ claimed: false, record: r });
    const claimToken = randomUUID();
    Object.assign(r, { status: 'claimed', claimToken, claimedAt: now, updatedAt: now, sendingAt: undefined });
    return Promise.resolve({ claimed: true, record: { ...r }, claimToken });
  }

  markSending(outboxId: string, claimToken: string, now: number, _decision: unknown, attempts: number) {
    return this.update(outboxId, claimToken, { sendingAt: now, updatedAt: now, attempts });
  }

  finish(outboxId: string, claimToken: string, now: number, outcome: OutboxOutcome) {
    return this.update(outboxId, claimToken, { ...outcome, updatedAt: now, claimToken: undefined });
  }

  markUnknown(outboxId: string, claimToken: string, now: number, reason: string) {
    return this.update(outboxId, claimToken, { status: 'unknown', reason, updatedAt: now, claimToken: undefined });
  }

  private update(outboxId: string, claimToken: string, fields: Partial<OutboxRecord>): Promise<boolean> {
    const r = this.records.get(outboxId);
    if (!r || r.status !== 'claimed' || r.claimToken !== claimToken) return Promise.resolve(false);
    Object.assign(r, fields);
    return Promise.resolve(true);
  }
}
