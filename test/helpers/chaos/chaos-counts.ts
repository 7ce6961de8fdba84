import { outboxIdOfCallback } from '../../../lambdas/domain/send/callback-data';
import type { OutboxRecord } from '../../../lambdas/ports/outbox';
import type { ReceivedCounts } from '../../../lambdas/local/meta-simulator/received-counts';

/** What the chaos test prints and checks for one case. */
export interface ChaosCounts {
  jobs: number;
  /** Jobs still queued or claimed when the stack was killed. */
  pendingAtKill: number;
  terminal: number;
  sent: number;
  unknown: number;
  failed: number;
  skipped: number;
  /** Messages the simulator accepted for this case's recipients. */
  received: number;
  /** Recipients who received more than one message, plus jobs whose outbox id arrived more than once. */
  duplicates: number;
  /** Jobs recorded `sent` whose recipient received nothing. */
  sentButNotReceived: number;
}

const TERMINAL = new Set(['sent', 'delivered', 'read', 'failed', 'skipped', 'unknown']);
export const isTerminal = (record: OutboxRecord): boolean => TERMINAL.has(record.status);

/** Counts one case from its job records and what the simulator received (keys `<channel>#<account>#<recipient>`). */
export const chaosCounts = (records: readonly OutboxRecord[], received: ReceivedCounts, pendingAtKill: number): ChaosCounts => {
  const who = (r: OutboxRecord) => `${r.intent.channel}#${r.intent.accountId}#${r.intent.userId}`;
  const count = (status: string) => records.filter((r) => r.status === status).length;
  const perRecipient = records.map((r) => received.byRecipient[who(r)] ?? 0);
  // The callback data names the job, tagged or not (callback-data.ts): count the arrivals per job.
  const byJob = new Map<string, number>();
  for (const [data, n] of Object.entries(received.byCallback)) {
    const outboxId = outboxIdOfCallback(data) ?? data;
    byJob.set(outboxId, (byJob.get(outboxId) ?? 0) + n);
  }
  const perJob = records.map((r) => byJob.get(r.outboxId) ?? 0);
  return {
    jobs: records.length,
    pendingAtKill,
    terminal: records.filter(isTerminal).length,
    sent: count('sent'),
    unknown: count('unknown'),
    failed: count('failed'),
    skipped: count('skipped'),
    received: perRecipient.reduce((n, c) => n + c, 0),
    duplicates: perRecipient.filter((c) => c > 1).length + perJob.filter((c) => c > 1).length,
    sentButNotReceived: records.filter((r, i) => r.status === 'sent' && perRecipient[i] === 0).length,
  };
};
