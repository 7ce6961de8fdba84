import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../domain/clock';
import type { AccountRef, ContactRef } from '../domain/events';
import { parseChunk } from '../domain/import/csv-chunk';
import { countRow, emptyImportCounts } from '../domain/import/import-counts';
import type { ImportCounts, ImportCursor, ImportSettings, LineError, RowOutcome } from '../domain/import/import-job';
import { type ImportRow, parseImportRow } from '../domain/import/import-row';
import { planImportRow, type RowPlan } from '../domain/import/plan-row';
import { sendableOf } from '../domain/import/sendable';
import type { AccountPolicyState } from '../domain/send/policy-types';
import type { PolicySettings } from '../domain/send/policy-context';
import { isErased } from '../erasure/erase-person';
import type { AccountRegistry } from '../ports/account-registry';
import type { ContactProfiles } from '../ports/contact-profiles';
import type { ErasureStore } from '../ports/erasure-store';
import type { ImportJob, ImportJobs } from '../ports/import-jobs';
import type { ImportQueue } from '../ports/import-queue';
import type { ContactRecord, StateStore } from '../ports/state-store';
import type { ImportSlice } from '../schemas/import-slice';
import { loadAccountPolicy } from '../send/load-policy-inputs';
import { mapLimit } from '../shared/map-limit';

export interface ImportSliceDeps {
  jobs: Pick<ImportJobs, 'get' | 'readChunk' | 'rowOutcomes' | 'putRowOutcome' | 'putErrors' | 'advance' | 'dropChunks'>;
  store: Pick<StateStore, 'getPeople' | 'apply' | 'getAccountPolicy' | 'listTemplates'>;
  profiles: ContactProfiles;
  erasure: Pick<ErasureStore, 'hasTombstone'>;
  accounts: AccountRegistry;
  queue: ImportQueue;
  clock: Clock;
  logger: Logger;
  /** The deployment's policy settings, so the sendable counts decide as the sender would. */
  policy?: PolicySettings;
  tuning?: Partial<SliceTuning>;
}

export interface SliceTuning {
  /** Most records one message processes. */
  sliceRecords: number;
  /** Records read, planned and written together; the time budget is checked between waves. */
  waveRecords: number;
  /** No new wave starts once this much time has passed since the slice began. */
  budgetMs: number;
  /** Contacts read, and contacts written, at once. */
  concurrency: number;
}

/**
 * 500 records per message: at a few writes per row a slice takes seconds, far inside the worker's
 * 5 minutes, and 50,000 rows are 100 messages. The budget stops a slice early on a slow table, long
 * before the timeout would make SQS run it again.
 */
export const DEFAULT_SLICE_TUNING: SliceTuning = { sliceRecords: 500, waveRecords: 100, budgetMs: 120_000, concurrency: 16 };

/**
 * A chain that hasn't moved for this long has stopped: a slice runs at most the 2-minute budget, and
 * a message redelivered after a crash comes back after the 30-minute visibility timeout.
 */
export const STALLED_AFTER_MS = 10 * 60_000;

/** What a message came to; for logs and tests. */
export type SliceResult = 'advanced' | 'completed' | 'stale' | 'raced' | 'not_running';

/**
 * One slice of an import (README "Importing contacts"): the records from the message's position on,
 * up to a slice's worth or the time budget, then the job's cursor moves past them, with their counts,
 * in one write conditioned on the cursor still being where the message said, and the next slice is
 * sent. Every step is safe to repeat:
 * - a redelivered message whose slice was already counted finds the cursor moved and only makes sure
 *   a message for the cursor exists (so the chain never stalls), counting nothing;
 * - a slice that crashed midway is run again from its start: its rows' writes are the same writes,
 *   and a row this import already created or updated reports what its first attempt did (the row
 *   outcome is written before the contact), not `unchanged`;
 * - two deliveries of one message run side by side: one moves the cursor, the other's advance is
 *   refused and it stops.
 */
export const runImportSlice = async (deps: ImportSliceDeps, message: ImportSlice): Promise<SliceResult> => {
  const job = await deps.jobs.get(message.importId);
  if (!job || job.status === 'uploading' || job.chunks === undefined) {
    deps.logger.warn('import slice for no running import; dropped', { importId: message.importId });
    return 'not_running';
  }
  if (job.cursor.chunk !== message.chunk || job.cursor.record !== message.record) {
    // A completed job's chunks may outlive a crash between the last advance and their drop.
    if (job.status === 'completed') await deps.jobs.dropChunks(job.importId);
    // A chain that stopped (a crash between an advance and the next send) is started again; a live
    // one is left alone, or every duplicate message would live on, one per step, to the end.
    else if (deps.clock() - (job.advancedAt ?? job.startedAt ?? 0) > STALLED_AFTER_MS) await deps.queue.send({ importId: job.importId, ...job.cursor });
    return 'stale';
  }
  const tuning = { ...DEFAULT_SLICE_TUNING, ...deps.tuning };
  const startedAt = deps.clock();
  const records = await chunkRecords(deps, job);
  const end = Math.min(records.length, job.cursor.record + tuning.sliceRecords);
  const slice = new SliceState(deps, job, tuning);
  let position = job.cursor.record;
  while (position < end) {
    const wave = records.slice(position, Math.min(end, position + tuning.waveRecords));
    await slice.run(wave);
    position += wave.length;
    if (deps.clock() - startedAt >= tuning.budgetMs) break;
  }
  if (slice.errors.length > 0) await deps.jobs.putErrors(job.importId, slice.errors);
  const to: ImportCursor = position >= records.length ? { chunk: job.cursor.chunk + 1, record: 0 } : { chunk: job.cursor.chunk, record: position };
  const completed = to.chunk >= job.chunks;
  if (!(await deps.jobs.advance(job.importId, job.cursor, to, slice.counts, deps.clock(), completed))) return 'raced';
  deps.logger.info('import slice processed', { importId: job.importId, chunk: job.cursor.chunk, from: job.cursor.record, to: position, rows: slice.counts.rows, ms: deps.clock() - startedAt });
  if (completed) {
    await deps.jobs.dropChunks(job.importId);
    return 'completed';
  }
  await deps.queue.send({ importId: job.importId, ...to });
  return 'advanced';
};

const chunkRecords = async (deps: ImportSliceDeps, job: ImportJob): Promise<{ line: number; cells: string[] }[]> => {
  const chunk = await deps.jobs.readChunk(job.importId, job.cursor.chunk);
  // Chunks are kept until the job completes (or expires with it): a missing one can't be worked around.
  if (!chunk) throw new Error(`import chunk ${job.cursor.chunk} is not stored`);
  const parsed = parseChunk(chunk.csv, chunk.firstLine, job.settings.delimiter);
  // Every chunk parsed when it was uploaded (put-chunk.ts): this is a changed parser, not a bad file.
  if (!parsed.ok) throw new Error(`stored import chunk ${job.cursor.chunk} no longer parses`);
  return parsed.records;
};

const keyOf = (c: ContactRef): string => `${c.channel}#${c.accountId}#${c.userId}`;
const accountKeyOf = (c: AccountRef): string => `${c.channel}#${c.accountId}`;

interface PlannedRow {
  row: ImportRow;
  plan: RowPlan;
  /** What this import recorded for the line before (a crashed attempt of this slice). */
  recorded?: 'created' | 'updated';
}

/**
 * What one slice holds between its waves: the counts and errors so far, what each contact it wrote
 * now holds (a later row of the same contact plans against it, not against a read that may predate
 * the write), and each sending account's policy state, read once.
 */
class SliceState {
  counts: ImportCounts = emptyImportCounts();
  readonly errors: LineError[] = [];
  private readonly written = new Map<string, ContactRecord>();
  private readonly accountStates = new Map<string, Promise<AccountPolicyState>>();
  private readonly settings: ImportSettings;

  constructor(
    private readonly deps: ImportSliceDeps,
    private readonly job: ImportJob,
    private readonly tuning: SliceTuning,
  ) {
    this.settings = job.settings;
  }

  async run(records: readonly { line: number; cells: string[] }[]): Promise<void> {
    const now = this.deps.clock();
    const rows: ImportRow[] = [];
    for (const record of records) {
      const parsed = parseImportRow(record, this.settings, now);
      if (parsed.ok) rows.push(parsed.row);
      else {
        this.errors.push(...parsed.errors);
        this.counts = countRow(this.counts, { outcome: 'failed', errors: parsed.errors.length });
      }
    }
    const planned = await this.plan(rows);
    if (!this.settings.dryRun) await this.write(planned, now);
    for (const entry of planned) await this.tally(entry, now);
  }

  /** Plans each row in line order against what its contact holds: stored, or left by an earlier row of this slice. */
  private async plan(rows: readonly ImportRow[]): Promise<PlannedRow[]> {
    const unread = [...new Map(rows.filter((r) => !this.written.has(keyOf(r.contact))).map((r) => [keyOf(r.contact), r.contact])).values()];
    // Consistent: the previous slice wrote these contacts milliseconds ago, and a profile put replaces the whole profile.
    const people = await this.deps.store.getPeople(unread, this.tuning.concurrency, { consistent: true });
    const stored = new Map(unread.map((contact, i) => [keyOf(contact), people[i]]));
    const absent = unread.filter((contact) => stored.get(keyOf(contact)) === undefined);
    // restoreErased brings an erased person back: their tombstone needn't be read.
    const erased = this.settings.restoreErased ? [] : await mapLimit(absent, this.tuning.concurrency, (contact) => isErased(this.deps.erasure, contact));
    const erasedKeys = new Set(absent.filter((_, i) => erased[i]).map(keyOf));
    const recorded = this.settings.dryRun ? new Map<number, RowOutcome>() : await this.deps.jobs.rowOutcomes(this.job.importId, rows.map((r) => r.line));
    return rows.map((row) => {
      const key = keyOf(row.contact);
      const before = this.written.get(key) ?? stored.get(key);
      const plan = planImportRow(row, before, { settings: this.settings, erased: before === undefined && erasedKeys.has(key) });
      // A skipped or failed row leaves its contact as it was (or absent): the next row must not see a record it made up.
      if (plan.outcome !== 'skipped' && plan.outcome !== 'failed') {
        this.written.set(key, plan.resulting);
        this.written.set(keyOf(plan.contact), plan.resulting);
      }
      const outcome = recorded.get(row.line);
      return { row, plan, ...(outcome === 'created' || outcome === 'updated' ? { recorded: outcome } : {}) };
    });
  }

  /**
   * Each contact's rows in line order, contacts side by side. Per row the row outcome goes first:
   * should the contact's writes then fail, the retry still reports what this import did to it.
   */
  private async write(planned: readonly PlannedRow[], now: number): Promise<void> {
    const byContact = new Map<string, PlannedRow[]>();
    for (const entry of planned) {
      const key = keyOf(entry.plan.contact);
      byContact.set(key, [...(byContact.get(key) ?? []), entry]);
    }
    await mapLimit([...byContact.values()], this.tuning.concurrency, async (entries) => {
      for (const { row, plan, recorded } of entries) {
        if ((plan.outcome === 'created' || plan.outcome === 'updated') && recorded === undefined) {
          await this.deps.jobs.putRowOutcome(this.job.importId, row.line, plan.contact, plan.outcome, plan.fields, now);
        }
        if (plan.profile) await this.deps.profiles.put(plan.contact, plan.profile, now, plan.created ? { origin: 'import' } : undefined);
        if (plan.writes.length > 0) await this.deps.store.apply(plan.writes);
      }
    });
  }

  private async tally({ plan, recorded }: PlannedRow, now: number): Promise<void> {
    const outcome = recorded ?? plan.outcome;
    if (outcome === 'failed') {
      if (plan.error) this.errors.push(plan.error);
      this.counts = countRow(this.counts, { outcome, errors: 1 });
      return;
    }
    if (outcome === 'skipped') {
      this.counts = countRow(this.counts, { outcome, reason: plan.skipReason ?? 'exists' });
      return;
    }
    const sendable = sendableOf(plan.resulting, await this.accountState(plan.contact, now), now, this.deps.policy);
    this.counts = countRow(this.counts, { outcome, ...sendable });
  }

  private accountState(account: AccountRef, now: number): Promise<AccountPolicyState> {
    const key = accountKeyOf(account);
    let state = this.accountStates.get(key);
    if (!state) {
      state = loadAccountPolicy(this.deps, { channel: account.channel, accountId: account.accountId }, now).then((inputs) => inputs.accountState);
      this.accountStates.set(key, state);
    }
    return state;
  }
}
