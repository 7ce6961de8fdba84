import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { fitCostCap } from '../domain/campaign/cost-cap';
import { ledgerKeyOf } from '../domain/campaign/ledger-key';
import { accountKey, type DispatchAccount, estimatePlanCost, planDispatch, type PlannedSend, recipientsLeft, underFrequencyCap } from '../domain/campaign/plan-dispatch';
import type { Channel } from '../domain/events';
import type { Occurrence, OccurrenceCounts, PageUpdate } from '../ports/occurrence-store';
import type { Campaign } from '../schemas/campaign';
import { mapLimit } from '../shared/map-limit';
import { audienceSources, decodePosition, encodePosition } from './audience-sources';
import { addCounts } from './tally';
import type { DispatcherDeps, DispatchTuning } from './dispatcher-deps';
import { type LoadedMember, loadMembers } from './load-members';

/** A ledger that keeps changing under us is a hot contact, not a cap: give up the page and retry it. */
const MAX_LEDGER_ATTEMPTS = 4;

export interface PageRun {
  campaign: Campaign;
  occurrence: Occurrence;
  accounts: Record<string, DispatchAccount>;
  /** `<campaignId>#<occurrenceKey>`: the outbox group and the prefix of the occurrence's send keys. */
  group: string;
  now: number;
}

export interface PageResult {
  update: Omit<PageUpdate, 'leaseUntil' | 'now'>;
  done: boolean;
}

type Committed = { kind: 'enqueue'; send: PlannedSend; outboxId: string } | { kind: 'counted'; send: PlannedSend } | { kind: 'skip'; reason: string };

/**
 * One page of the audience: read it, plan it, reserve the frequency cap, write the outbox records and
 * enqueue the jobs. Everything here is safe to run again for the same page (after a crash, before
 * its progress was saved): the outbox keys and the ledger keys make the second run a no-op.
 */
export const dispatchPage = async (deps: DispatcherDeps, tuning: DispatchTuning, run: PageRun): Promise<PageResult> => {
  const { campaign, occurrence } = run;
  const sources = audienceSources(campaign);
  const position = decodePosition(occurrence.cursor);
  const source = sources[position.source];
  const counts = cloneCounts(occurrence.counts);
  if (source === undefined) return { update: { ...progress(occurrence, counts), status: 'done' }, done: true };

  const page = await deps.audience.page(source, position.cursor, tuning.pageSize);
  const loaded = await loadMembers(deps.store, source, page.userIds, tuning.concurrency);
  const plan = planDispatch(
    loaded.members.map((m) => m.member),
    { campaign, recipientsLeft: recipientsLeft(campaign, counts.enqueued), firingAtMs: occurrence.firingAt, occurrenceId: run.group, accounts: run.accounts, now: run.now, policy: deps.policy },
  );
  const maxCostEur = campaign.caps?.maxCostEur;
  const fit = maxCostEur === undefined ? { kept: plan.sends, cut: 0 } : fitCostCap(plan.sends, { maxCostEur, spentEur: occurrence.costByCurrency.EUR ?? 0, atMs: run.now });

  const byRecipient = new Map(loaded.members.map((m) => [recipientOf(m.member), m]));
  const committed = await mapLimit(fit.kept, tuning.concurrency, (send) => commit(deps, run, send, byRecipient.get(recipientOf(send.intent))));
  await enqueue(deps, committed);

  counts.audience += page.userIds.length;
  counts.notDue += plan.notDue;
  addCounts(counts.skipped, plan.skipped);
  if (loaded.missing > 0) addCounts(counts.skipped, { contact_missing: loaded.missing });
  if (loaded.linked > 0) addCounts(counts.skipped, { duplicate: loaded.linked });
  if (fit.cut > 0) addCounts(counts.skipped, { cost_cap: fit.cut });
  const sent: PlannedSend[] = [];
  for (const c of committed) {
    if (c.kind === 'skip') addCounts(counts.skipped, { [c.reason]: 1 });
    else sent.push(c.send);
  }
  counts.enqueued += sent.length;
  deps.metrics?.addMetric('ContactsRead', MetricUnit.Count, page.userIds.length);
  deps.metrics?.addMetric('JobsEnqueued', MetricUnit.Count, sent.length);
  deps.metrics?.addMetric('ContactsSkipped', MetricUnit.Count, page.userIds.length - sent.length - plan.notDue);
  // Summed from the lines' exact amounts, not the totals rounded to cents: the cost cap reads it back next page.
  const costByCurrency = { ...occurrence.costByCurrency };
  for (const line of estimatePlanCost({ sends: sent, skipped: {}, notDue: 0 }, run.now).lines) {
    if (line.currency === null || line.amount === null) continue;
    costByCurrency[line.currency] = Math.round(((costByCurrency[line.currency] ?? 0) + line.amount) * 10_000) / 10_000;
  }

  const next = page.cursor === undefined ? { source: position.source + 1 } : { source: position.source, cursor: page.cursor };
  // With the recipient cap used up, reading on would only count the rest as recipient_cap.
  const max = campaign.caps?.maxRecipients;
  const capReached = max !== undefined && counts.enqueued >= max && next.source < sources.length;
  const done = next.source >= sources.length || capReached;
  return {
    update: {
      pages: occurrence.pages + 1,
      counts,
      costByCurrency,
      status: done ? 'done' : 'running',
      ...(done ? {} : { cursor: encodePosition(next) }),
      ...(capReached ? { stopReason: 'recipient_cap' } : {}),
    },
    done,
  };
};

const commit = async (deps: DispatcherDeps, run: PageRun, send: PlannedSend, loaded: LoadedMember | undefined): Promise<Committed> => {
  // Every planned send comes from a loaded member; a miss here would let marketing past the cap unseen.
  if (loaded === undefined) throw new Error('a planned send has no loaded contact');
  if (send.intent.kind === 'marketing' && !(await reserve(deps, run, send, loaded))) return { kind: 'skip', reason: 'frequency_cap' };
  const { created, record } = await deps.outbox.create({ idempotencyKey: send.idempotencyKey, intent: send.intent, now: run.now, group: run.group });
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
    if (!underFrequencyCap(run.campaign, { ...loaded.member, marketingLedger: snapshot.entries }, send.idempotencyKey, entry.atMs)) return false;
  }
  throw new Error(`the marketing ledger of a contact changed ${MAX_LEDGER_ATTEMPTS} times while reserving; the page will be retried`);
};

/** SendMessageBatch per delay: local-time sends wait in the queue until their minute. */
const enqueue = async (deps: DispatcherDeps, committed: readonly Committed[]): Promise<void> => {
  const byDelay = new Map<number, string[]>();
  for (const c of committed) {
    if (c.kind !== 'enqueue') continue;
    const ids = byDelay.get(c.send.delaySeconds) ?? [];
    ids.push(c.outboxId);
    byDelay.set(c.send.delaySeconds, ids);
  }
  for (const [delaySeconds, ids] of byDelay) await deps.queue.enqueue(ids, { delaySeconds });
};

const recipientOf = (r: { channel: Channel; accountId: string; userId: string }): string => `${accountKey(r.channel, r.accountId)}#${r.userId}`;

const cloneCounts = (c: OccurrenceCounts): OccurrenceCounts => ({ ...c, skipped: { ...c.skipped } });


const progress = (occurrence: Occurrence, counts: OccurrenceCounts) => ({
  pages: occurrence.pages,
  counts,
  costByCurrency: occurrence.costByCurrency,
});
