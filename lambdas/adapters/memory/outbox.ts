import { randomUUID } from 'node:crypto';
import type { ContactRef } from '../../domain/events';
import type { Decision } from '../../domain/send/policy-types';
import { type ClaimResult, type NewJob, newOutboxRecord, type Outbox, type OutboxOutcome, type OutboxRecord, type RefusedOutcome, type StrandedOutcome } from '../../ports/outbox';
import type { PendingEntry } from '../../ports/pending-work';

const copy = (record: OutboxRecord): OutboxRecord => structuredClone(record);

/**
 * Outbox records in memory, with the DynamoDB adapter's conditions on every transition (the shared
 * contract suite in test/contract runs against both): for unit tests and the sender benchmark.
 * Every answer is a copy, as a read from a table would be.
 */
export class InMemoryOutbox implements Outbox {
  /** The stored records by outbox id, for tests and benchmarks that inspect (or edit) them. */
  readonly records = new Map<string, OutboxRecord>();
  /** When a pending job is due where a move set it (a retry, a sweeper's postponement), as the DynamoDB adapter keeps it in gsi3; else its notBefore or creation. */
  private readonly due = new Map<string, number>();

  create(job: NewJob): Promise<{ created: boolean; record: OutboxRecord }> {
    const record = newOutboxRecord(job);
    const existing = this.records.get(record.outboxId);
    if (existing) return Promise.resolve({ created: false, record: copy(existing) });
    this.records.set(record.outboxId, copy(record));
    return Promise.resolve({ created: true, record });
  }

  get(outboxId: string): Promise<OutboxRecord | undefined> {
    const record = this.records.get(outboxId);
    return Promise.resolve(record && copy(record));
  }

  getMany(outboxIds: readonly string[]): Promise<OutboxRecord[]> {
    return Promise.resolve(outboxIds.flatMap((id) => this.records.get(id) ?? []).map(copy));
  }

  /** Ordered by outbox id; the cursor is the last id returned, absent when nothing follows. */
  listGroup(group: string, cursor: string | undefined, limit: number): Promise<{ outboxIds: string[]; cursor?: string }> {
    const ids = [...this.records.values()]
      .filter((r) => r.group === group && (cursor === undefined || r.outboxId > cursor))
      .map((r) => r.outboxId)
      .sort();
    const outboxIds = ids.slice(0, limit);
    return Promise.resolve(ids.length > limit ? { outboxIds, cursor: outboxIds.at(-1) } : { outboxIds });
  }

  /** Newest first, as the DynamoDB adapter's `SEND#<createdAt ISO>` read backwards (sends of one millisecond in no set order there, by outbox id here); the cursor is the last one's sort key. */
  listByContact(contact: ContactRef, cursor: string | undefined, limit: number): Promise<{ outboxIds: string[]; cursor?: string }> {
    const sortKey = (r: OutboxRecord): string => `${new Date(r.createdAt).toISOString()}#${r.outboxId}`;
    const sends = [...this.records.values()]
      .filter((r) => r.intent.channel === contact.channel && r.intent.accountId === contact.accountId && r.intent.userId === contact.userId)
      .map((r) => ({ id: r.outboxId, key: sortKey(r) }))
      .filter((s) => cursor === undefined || s.key < cursor)
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const page = sends.slice(0, limit);
    const outboxIds = page.map((s) => s.id);
    return Promise.resolve(sends.length > limit ? { outboxIds, cursor: page.at(-1)?.key } : { outboxIds });
  }

  /** A fresh job that is due, or a claim gone stale before its send step began (nothing reached Meta). */
  claim(outboxId: string, now: number, staleAfterMs: number): Promise<ClaimResult> {
    const r = this.records.get(outboxId);
    const due = r?.status === 'queued' && (r.notBefore === undefined || r.notBefore <= now);
    const stale = r?.status === 'claimed' && r.claimedAt !== undefined && r.claimedAt < now - staleAfterMs && r.sendingAt === undefined;
    if (!r || !(due || stale)) return Promise.resolve({ claimed: false, record: r && copy(r) });
    const claimToken = randomUUID();
    this.write(r, { status: 'claimed', claimToken, claimedAt: now, updatedAt: now, claimUntil: now + staleAfterMs, sendingAt: undefined });
    return Promise.resolve({ claimed: true, record: copy(r), claimToken });
  }

  /** Also counts the attempt: only calls to Meta count, not deferrals or takeovers. */
  markSending(outboxId: string, claimToken: string, now: number, decision: Decision, attempts: number): Promise<boolean> {
    const route = decision.outcome === 'allow' ? { route: decision.route, pricing: decision.pricing } : {};
    return this.conditional(outboxId, claimToken, { sendingAt: now, updatedAt: now, attempts, ...route });
  }

  finish(outboxId: string, claimToken: string, now: number, outcome: OutboxOutcome): Promise<boolean> {
    const fields: Partial<Record<keyof OutboxRecord, unknown>> = { ...withoutUndefined(outcome), updatedAt: now, claimToken: undefined, claimUntil: undefined };
    if (outcome.status === 'sent') Object.assign(fields, { sentAt: now, reason: undefined, errorCode: undefined, detail: undefined, notBefore: undefined });
    if (outcome.status === 'queued') Object.assign(fields, { sendingAt: undefined, claimedAt: undefined });
    return this.conditional(outboxId, claimToken, fields).then((done) => {
      if (done && outcome.status === 'queued') this.due.set(outboxId, outcome.notBefore);
      return done;
    });
  }

  finishRefused(outboxId: string, claimToken: string, now: number, outcome: RefusedOutcome): Promise<OutboxRecord | undefined> {
    const stored = this.records.get(outboxId);
    const before = stored && copy(stored);
    return this.finish(outboxId, claimToken, now, outcome).then((done) => {
      if (!done || !stored) return undefined;
      stored.milestones = { ...stored.milestones, failed: stored.milestones?.failed ?? now };
      return before;
    });
  }

  /** Only a claim whose send step began: one that never called Meta is taken over instead. */
  markUnknown(outboxId: string, claimToken: string, now: number, reason: string): Promise<boolean> {
    if (this.records.get(outboxId)?.sendingAt === undefined) return Promise.resolve(false);
    return this.conditional(outboxId, claimToken, { status: 'unknown', reason, updatedAt: now, claimToken: undefined, claimUntil: undefined });
  }

  postponeStranded(seen: OutboxRecord, dueAt: number): Promise<boolean> {
    const r = this.records.get(seen.outboxId);
    if (!r || !unchanged(r, seen)) return Promise.resolve(false);
    this.write(r, { sweeps: (r.sweeps ?? 0) + 1 });
    this.due.set(seen.outboxId, dueAt);
    return Promise.resolve(true);
  }

  postponeClaimed(seen: OutboxRecord, dueAt: number): Promise<boolean> {
    const r = this.records.get(seen.outboxId);
    if (!r || !unchanged(r, seen)) return Promise.resolve(false);
    this.due.set(seen.outboxId, dueAt);
    return Promise.resolve(true);
  }

  endStranded(seen: OutboxRecord, now: number, outcome: StrandedOutcome): Promise<boolean> {
    const r = this.records.get(seen.outboxId);
    if (!r || !unchanged(r, seen)) return Promise.resolve(false);
    this.write(r, { status: outcome.status, reason: outcome.reason, updatedAt: now, claimToken: undefined, claimUntil: undefined });
    return Promise.resolve(true);
  }

  /** The pending-work listing: queued and claimed jobs at the time they are due (a claim doesn't move it). */
  dueEntries(): PendingEntry[] {
    return [...this.records.values()].flatMap((r): PendingEntry[] => {
      if (r.status !== 'queued' && r.status !== 'claimed') return [];
      return [{ kind: 'outbox', outboxId: r.outboxId, dueAt: this.due.get(r.outboxId) ?? r.notBefore ?? r.createdAt }];
    });
  }

  /** Writes `fields` (undefined removes) only while `claimToken` still holds the claim. */
  private conditional(outboxId: string, claimToken: string, fields: Partial<Record<keyof OutboxRecord, unknown>>): Promise<boolean> {
    const r = this.records.get(outboxId);
    if (r?.status !== 'claimed' || r.claimToken !== claimToken) return Promise.resolve(false);
    this.write(r, fields);
    return Promise.resolve(true);
  }

  private write(record: OutboxRecord, fields: Partial<Record<keyof OutboxRecord, unknown>>): void {
    const target = record as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) delete target[field];
      else target[field] = structuredClone(value);
    }
  }
}

const withoutUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The sweeper's condition: the record is as it read it (status, update time, claim, send step). */
const unchanged = (r: OutboxRecord, seen: OutboxRecord): boolean =>
  (seen.status === 'queued' || seen.status === 'claimed') &&
  r.status === seen.status && r.updatedAt === seen.updatedAt && r.claimToken === seen.claimToken && r.sendingAt === seen.sendingAt;
