import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { type SigningFor, signingOf } from '../clicks/link-signing';
import { trackSendContent } from '../domain/clicks/track-send';
import { EUR_UNITS, eurCapUnits, fitCaps, priceUnitsAt } from '../domain/campaign/cost-cap';
import { ledgerKeyOf } from '../domain/campaign/ledger-key';
import { accountKey, type DispatchAccount, estimatePlanCost, planDispatch, type PlannedSend, underFrequencyCap } from '../domain/campaign/plan-dispatch';
import type { Channel } from '../domain/events';
import { outboxIdFor } from '../domain/send/outbox-id';
import type { AudiencePage, AudienceQuery } from '../ports/audience-index';
import type { CapAmounts, Occurrence, OccurrenceCounts, OccurrenceHold, PageUpdate, UnusedGrant } from '../ports/occurrence-store';
import type { Campaign } from '../schemas/campaign';
import { mapLimit } from '../shared/map-limit';
import { decodePosition, encodePosition } from './audience-sources';
import { loadDispatchAccount } from './dispatch-accounts';
import { pageAudience } from './follow-up-audience';
import { addCounts } from './tally';
import type { DispatcherDeps, DispatchTuning } from './dispatcher-deps';
import { type LoadedMember, loadMembers } from './load-members';

/** A ledger that keeps changing under us is a hot contact, not a cap: give up the page and retry it. */
const MAX_LEDGER_ATTEMPTS = 4;
/** Other segments reserving between our read of the caps and our reservation: refit and try again. */
const MAX_RESERVE_ATTEMPTS = 8;
/** SendMessageBatch takes at most 10 messages. */
const SQS_BATCH = 10;

/** A worker's progress through its reads: on the occurrence itself, or on its segment. */
export interface Progress {
  pages: number;
  cursor?: string;
  counts: OccurrenceCounts;
  costByCurrency: Record<string, number>;
  /** Segments: what the last reserving page left unused of its grant, to give back. */
  unused?: UnusedGrant;
}

export interface PageRun {
  /** The definition and plan the occurrence started with. */
  occurrence: Occurrence;
  /** Absent: the occurrence is its own (only) segment, and its counts are the caps' whole use. */
  segment?: number;
  progress: Progress;
  /** The index reads this worker walks (segmentReads). */
  reads: readonly AudienceQuery[];
  /** `<campaignId>#<occurrenceKey>`: the outbox group and the prefix of the occurrence's send keys. */
  group: string;
  /** Segments: the caps' reservations as last seen on the occurrence. */
  reserved: CapAmounts;
  now: number;
}

export type PageResult =
  | {
      kind: 'page';
      update: Omit<PageUpdate, 'leaseUntil' | 'now'>;
      done: boolean;
      /** Segments: the reservations as the page's own reservation left them. */
      reserved?: CapAmounts;
    }
  /** The page's account is paused (the error table's flag_account rows): hold at `cursor`, the page unread. */
  | { kind: 'held'; held: OccurrenceHold; cursor: string };

type Committed = { kind: 'enqueue'; send: PlannedSend; outboxId: string } | { kind: 'counted'; send: PlannedSend } | { kind: 'skip'; reason: string };

/**
 * One page of the audience: read it, plan it, fit it to the caps (reserving its share on the
 * occurrence when segments run side by side), reserve the frequency cap, write the outbox records
 * and enqueue the jobs. Everything here is safe to run again for the same page (after a crash, before
 * its progress was saved): the outbox keys and the ledger keys make the second run a no-op, and a
 * segment's reservation for the page is found again instead of taken twice.
 */
export const dispatchPage = async (deps: DispatcherDeps, tuning: DispatchTuning, run: PageRun): Promise<PageResult> => {
  const { occurrence, progress } = run;
  const campaign = occurrence.campaign;
  const counts = cloneCounts(progress.counts);
  const found = await nextPage(deps, tuning, run);
  if (found === undefined) return { kind: 'page', update: { pages: progress.pages, counts, costByCurrency: progress.costByCurrency, status: 'done', ...keep(progress.unused) }, done: true };
  const { read, position, page } = found;
  // Read again before every page, like the campaign: an account paused mid-run holds the next page.
  const account = await loadDispatchAccount(deps, read, run.now);
  const accounts: Record<string, DispatchAccount> = account === undefined ? {} : { [accountKey(read.channel, read.accountId)]: account };
  const pause = account?.state.sendingPause;
  if (pause !== undefined) return { kind: 'held', held: { until: pause.until, reason: pause.reason, account: accountKey(read.channel, read.accountId) }, cursor: encodePosition(position) };

  const loaded = await loadMembers(deps.store, read, page.userIds, tuning.concurrency, campaign.audience.topic);
  const plan = planDispatch(
    loaded.members.map((m) => m.member),
    // The caps are fitted below, over the whole occurrence.
    { campaign, recipientsLeft: Number.POSITIVE_INFINITY, firingAtMs: occurrence.firingAt, occurrenceId: run.group, accounts, now: run.now, policy: deps.policy },
  );
  const caps = await fitPage(deps, run, plan.sends);

  const byRecipient = new Map(loaded.members.map((m) => [recipientOf(m.member), m]));
  const signing = await linkSigning(deps, campaign, caps.kept.length);
  const committed = await mapLimit(caps.kept, tuning.concurrency, (send) => commit(deps, run, send, byRecipient.get(recipientOf(send.intent)), signing));
  await enqueue(deps, tuning, committed);

  // Contacts left to their opt-in zone's bucket are that bucket's audience, not this one's.
  const members = page.userIds.length - loaded.elsewhere;
  counts.audience += members;
  counts.notDue += plan.notDue;
  addCounts(counts.skipped, plan.skipped);
  if (loaded.missing > 0) addCounts(counts.skipped, { contact_missing: loaded.missing });
  if (loaded.linked > 0) addCounts(counts.skipped, { duplicate: loaded.linked });
  if (caps.cut.recipient_cap > 0) addCounts(counts.skipped, { recipient_cap: caps.cut.recipient_cap });
  if (caps.cut.cost_cap > 0) addCounts(counts.skipped, { cost_cap: caps.cut.cost_cap });
  const sent: PlannedSend[] = [];
  for (const c of committed) {
    if (c.kind === 'skip') addCounts(counts.skipped, { [c.reason]: 1 });
    else sent.push(c.send);
  }
  counts.enqueued += sent.length;
  deps.metrics?.addMetric('ContactsRead', MetricUnit.Count, page.userIds.length);
  deps.metrics?.addMetric('JobsEnqueued', MetricUnit.Count, sent.length);
  deps.metrics?.addMetric('ContactsSkipped', MetricUnit.Count, members - sent.length - plan.notDue);
  // Summed from the lines' exact amounts, not the totals rounded to cents: the cost cap reads it back next page.
  const costByCurrency = { ...progress.costByCurrency };
  for (const line of estimatePlanCost({ sends: sent, skipped: {}, notDue: 0 }, run.now).lines) {
    if (line.currency === null || line.amount === null) continue;
    costByCurrency[line.currency] = Math.round(((costByCurrency[line.currency] ?? 0) + line.amount) * 10_000) / 10_000;
  }

  const next = page.cursor === undefined ? { source: position.source + 1 } : { source: position.source, cursor: page.cursor };
  // With the recipient cap used up, reading on would only count the rest as recipient_cap.
  const max = campaign.caps?.maxRecipients;
  const capReached = max !== undefined && (run.segment === undefined ? counts.enqueued >= max : caps.capReached) && next.source < run.reads.length;
  const done = next.source >= run.reads.length || capReached;
  const unused = caps.grant === undefined ? progress.unused : unusedOf(caps.grant, sent, progress.pages, run.now, campaign);
  return {
    kind: 'page',
    update: {
      pages: progress.pages + 1,
      counts,
      costByCurrency,
      status: done ? 'done' : 'running',
      ...(done ? {} : { cursor: encodePosition(next) }),
      ...(capReached ? { stopReason: 'recipient_cap' } : {}),
      ...keep(unused),
    },
    done,
    ...(caps.reserved === undefined ? {} : { reserved: caps.reserved }),
  };
};

/**
 * The next page with entries, from the worker's position on: a read with nothing in it (a due zone
 * without contacts in this shard, most of them) is passed over without a page of its own.
 */
const nextPage = async (
  deps: DispatcherDeps,
  tuning: DispatchTuning,
  run: PageRun,
): Promise<{ read: AudienceQuery; position: { source: number; cursor?: string }; page: AudiencePage } | undefined> => {
  let position = decodePosition(run.progress.cursor);
  for (;;) {
    const read = run.reads[position.source];
    if (read === undefined) return undefined;
    const page = await pageAudience(deps, read, position.cursor, tuning.pageSize);
    if (page.userIds.length > 0 || page.cursor !== undefined) return { read, position, page };
    position = { source: position.source + 1 };
  }
};

interface CapsOfPage {
  kept: PlannedSend[];
  cut: { recipient_cap: number; cost_cap: number };
  /** Segments: what the occurrence granted this page. */
  grant?: CapAmounts;
  reserved?: CapAmounts;
  /** Segments: the occurrence's recipients are all reserved. */
  capReached: boolean;
}

/**
 * The page's sends that fit the occurrence's caps. One worker: what its own counts leave. Segments
 * side by side: each page reserves its share on the occurrence (one conditional write that no
 * concurrent segment can push past a cap), fitted to the reservations as last seen and fitted again
 * when another segment got there first. A re-run page gets its first grant back and keeps the same sends.
 */
const fitPage = async (deps: DispatcherDeps, run: PageRun, sends: readonly PlannedSend[]): Promise<CapsOfPage> => {
  const { campaign } = run.occurrence;
  const maxRecipients = campaign.caps?.maxRecipients;
  const maxCostEur = campaign.caps?.maxCostEur;
  if (maxRecipients === undefined && maxCostEur === undefined) return { kept: [...sends], cut: { recipient_cap: 0, cost_cap: 0 }, capReached: false };
  const limits = { ...(maxRecipients === undefined ? {} : { recipients: maxRecipients }), ...(maxCostEur === undefined ? {} : { costUnits: eurCapUnits(maxCostEur) }) };
  const left = (used: CapAmounts) => ({
    ...(limits.recipients === undefined ? {} : { recipients: Math.max(0, limits.recipients - used.recipients) }),
    ...(limits.costUnits === undefined ? {} : { costUnits: limits.costUnits - used.costUnits }),
    atMs: run.now,
  });
  if (run.segment === undefined) {
    const used = { recipients: run.progress.counts.enqueued, costUnits: Math.round((run.progress.costByCurrency.EUR ?? 0) * EUR_UNITS) };
    return { ...fitCaps(sends, left(used)), capReached: false };
  }
  let known = run.reserved;
  for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt += 1) {
    const fit = fitCaps(sends, left(known));
    // Nothing to send: no write (an unused grant waits for the segment's next reservation). With
    // sends that the caps cut, it still asks: a re-run of this page must get its first grant back.
    if (sends.length === 0) return { ...fit, capReached: limits.recipients !== undefined && known.recipients >= limits.recipients };
    const take = { recipients: fit.kept.length, costUnits: fit.costUnits };
    const { campaignId, occurrenceKey } = run.occurrence;
    const result = await deps.occurrences.reserve({
      campaignId,
      occurrenceKey,
      segment: run.segment,
      page: run.progress.pages,
      take,
      limits,
      ...(run.progress.unused === undefined ? {} : { release: run.progress.unused }),
    });
    known = result.reserved;
    if (!result.granted) continue;
    // The grant's own totals keep exactly the sends that asked for it; on a re-run, those of the first run.
    const granted = fitCaps(sends, {
      recipients: result.grant.recipients,
      ...(limits.costUnits === undefined ? {} : { costUnits: result.grant.costUnits }),
      atMs: run.now,
    });
    return {
      kept: granted.kept,
      cut: granted.kept.length === fit.kept.length ? fit.cut : granted.cut,
      grant: result.grant,
      reserved: result.reserved,
      capReached: limits.recipients !== undefined && result.reserved.recipients >= limits.recipients,
    };
  }
  throw new Error(`the caps of ${run.group} changed ${MAX_RESERVE_ATTEMPTS} times while reserving a page; the page will be retried`);
};

/** What the page's grant was not used for (sends lost between planning and enqueueing), to give back. */
const unusedOf = (grant: CapAmounts, sent: readonly PlannedSend[], page: number, atMs: number, campaign: Campaign): UnusedGrant | undefined => {
  const unitsOf = priceUnitsAt(atMs);
  const spent = campaign.caps?.maxCostEur === undefined ? 0 : sent.reduce((sum, send) => sum + (unitsOf(send) ?? 0), 0);
  const unused = { recipients: Math.max(0, grant.recipients - sent.length), costUnits: Math.max(0, grant.costUnits - spent) };
  return unused.recipients > 0 || unused.costUnits > 0 ? { page, ...unused } : undefined;
};

/** The page's link signing when its campaign tracks clicks (README "Clicks"); read only for a page with sends. */
const linkSigning = async (deps: DispatcherDeps, campaign: Campaign, sends: number): Promise<SigningFor | undefined> => {
  if (campaign.tracking === undefined || sends === 0) return undefined;
  if (deps.links === undefined) throw new Error('the campaign tracks clicks but the dispatcher has no tracking key');
  return signingOf(deps.links);
};

const commit = async (deps: DispatcherDeps, run: PageRun, send: PlannedSend, loaded: LoadedMember | undefined, signing: SigningFor | undefined): Promise<Committed> => {
  // Every planned send comes from a loaded member; a miss here would let marketing past the cap unseen.
  if (loaded === undefined) throw new Error('a planned send has no loaded contact');
  if (send.intent.kind === 'marketing' && !(await reserve(deps, run, send, loaded))) return { kind: 'skip', reason: 'frequency_cap' };
  const { tracking } = run.occurrence.campaign;
  // The links name the record the job will have, so they are signed before it is written and stored with it.
  const tracked =
    signing === undefined || tracking === undefined
      ? undefined
      : trackSendContent(send.intent.content, tracking, outboxIdFor(send.idempotencyKey), signing(run.now + send.delaySeconds * 1000));
  const intent = tracked === undefined ? send.intent : { ...send.intent, content: tracked.content };
  const { created, record } = await deps.outbox.create({
    idempotencyKey: send.idempotencyKey,
    intent,
    now: run.now,
    group: run.group,
    ...(tracked === undefined ? {} : { links: tracked.links }),
  });
  if (created) return { kind: 'enqueue', send, outboxId: record.outboxId };
  // Another occurrence got there first (a local-time contact whose zone moved): one send per key.
  if (record.group !== run.group) return { kind: 'skip', reason: 'already_sent' };
  // This page ran before and stopped before saving: a job still queued may never have reached SQS.
  return record.status === 'queued' ? { kind: 'enqueue', send, outboxId: record.outboxId } : { kind: 'counted', send };
};

/**
 * Every campaign's marketing send is written to the contact's ledger before its job exists, so two
 * campaigns firing together can't both pass the cap: the second reservation sees the first.
 */
const reserve = async (deps: DispatcherDeps, run: PageRun, send: PlannedSend, loaded: LoadedMember): Promise<boolean> => {
  const entry = { key: ledgerKeyOf(send.idempotencyKey), atMs: run.now + send.delaySeconds * 1000 };
  let snapshot = loaded.ledger;
  for (let attempt = 0; attempt < MAX_LEDGER_ATTEMPTS; attempt += 1) {
    const result = await deps.ledger.reserve(loaded.contact, entry, snapshot);
    if (result.ok) return true;
    snapshot = result.current;
    if (!underFrequencyCap(run.occurrence.campaign, { ...loaded.member, marketingLedger: snapshot.entries }, send.idempotencyKey, entry.atMs)) return false;
  }
  throw new Error(`the marketing ledger of a contact changed ${MAX_LEDGER_ATTEMPTS} times while reserving; the page will be retried`);
};

/**
 * SendMessageBatch per delay (local-time sends wait in the queue until their minute), 10 jobs a
 * batch, several batches in flight: a page's 20 batches take two round trips, not twenty.
 */
const enqueue = async (deps: DispatcherDeps, tuning: DispatchTuning, committed: readonly Committed[]): Promise<void> => {
  const byDelay = new Map<number, string[]>();
  for (const c of committed) {
    if (c.kind !== 'enqueue') continue;
    const ids = byDelay.get(c.send.delaySeconds) ?? [];
    ids.push(c.outboxId);
    byDelay.set(c.send.delaySeconds, ids);
  }
  const batches: { ids: string[]; delaySeconds: number }[] = [];
  for (const [delaySeconds, ids] of byDelay) {
    for (let i = 0; i < ids.length; i += SQS_BATCH) batches.push({ ids: ids.slice(i, i + SQS_BATCH), delaySeconds });
  }
  await mapLimit(batches, Math.max(1, tuning.enqueueConcurrency), (batch) => deps.queue.enqueue(batch.ids, { delaySeconds: batch.delaySeconds }));
};

const recipientOf = (r: { channel: Channel; accountId: string; userId: string }): string => `${accountKey(r.channel, r.accountId)}#${r.userId}`;

const cloneCounts = (c: OccurrenceCounts): OccurrenceCounts => ({ ...c, skipped: { ...c.skipped } });

const keep = (unused: UnusedGrant | undefined) => (unused === undefined ? {} : { unused });
