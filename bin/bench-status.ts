/**
 * `npm run bench:status [-- --messages N] [--json]`: what one WhatsApp status webhook costs for a
 * message afterchat sent (its `biz_opaque_callback_data` is the outbox id), measured on dynalite.
 *
 * For each of N messages (default 20) a campaign send is left in the outbox as the sender leaves it,
 * then `sent`, `delivered` (with pricing) and `read` arrive in that order, one status per body as
 * Meta posts them, through the webhook handler with the DynamoDB adapters. Every DynamoDB request is
 * counted by an SDK middleware on the client (test/helpers/dynamodb-metering.ts): requests per
 * operation, the capacity units dynalite reports (real item sizes, DynamoDB's rounding), and the
 * conditional writes refused (billed on the stored item's size, at least 1 unit). The middleware
 * also waits 5 ms before a read and 8 ms before a write (the latencies issue 10 measures with), so a
 * webhook's round trips give its billed Lambda duration. Two off-path cases are shown apart:
 * Meta re-posting a `delivered` (a retry), and a `delivered` that arrives after the `read`.
 *
 * Measured: requests, units, refusals and round trips per status. Modelled: the billed Lambda time
 * (round trips × injected latency + HANDLER_CPU_MS) and the $ per 1M, from the list prices below;
 * `statusWebhookUsdPer1M` is the mean over sent, delivered and read (the ~3 statuses that follow a
 * send). Not counted: a keys-only index entry an update creates (only the first write of an item
 * with index keys; no status after `sent` changes one). In AWS a refused update returns the stored
 * item, so the GetItem shown after a refusal here (dynalite returns none) is not made there.
 */
import type { MessageStatusValue } from '../lambdas/domain/events';
import { startDynalite } from '../lambdas/local/dynalite-server';
import type { DynamoDbMeterCounts } from '../test/helpers/dynamodb-metering';
import { inboundText, RIG_PHONE, RIG_WABA, startWebhookRig } from '../test/helpers/webhook-rig';
import { sendThroughOutbox, type SentMessage, statusBody } from '../test/helpers/whatsapp-status';
import { printRows } from './demo/print-rows';

/**
 * USD, AWS us-east-1 list prices (on demand, no free tier), read on 2026-11-21.
 * - DynamoDB on-demand, after the November 2024 reduction: $0.625 per million write request units,
 *   $0.125 per million read request units — https://airbyte.com/data-engineering-resources/dynamodb-pricing
 *   (units as defined on https://aws.amazon.com/dynamodb/pricing/on-demand/).
 * - Lambda arm64 (the webhook function's architecture, lib/constructs/node-function.ts): $0.0000133334 per GB-s
 *   (first 7.5 billion GB-s a month) and $0.20 per million requests — https://cloudchipr.com/blog/aws-lambda-pricing,
 *   citing https://aws.amazon.com/lambda/pricing/. Duration is billed per 1 ms, rounded up.
 * - API Gateway HTTP API: $1.00 per million requests (first 300 million a month; a status body is far below the
 *   512 KB metering increment) — https://www.apigatewaycost.com/aws, citing https://aws.amazon.com/api-gateway/pricing/.
 */
const PRICES = {
  writeUnitPerMillion: 0.625,
  readUnitPerMillion: 0.125,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestPerMillion: 0.2,
  httpApiRequestPerMillion: 1.0,
  /** The webhook function's memory: NodeFunction's default (lib/constructs/node-function.ts). */
  lambdaMemoryGb: 0.5,
};
/**
 * The same script run on the release before status webhooks were made cheap (commit 9209613:
 * an event look-up and record per status, first-wins `recipient`/`callback` registers refusing
 * every status after the first, then one write per register), 2026-12-06.
 */
const BASELINE = {
  sent: { requests: 6, writeUnits: 5, readUnits: 0.5, conditionFailures: 0, rounds: 3, usdPer1M: 4.548 },
  delivered: { requests: 10, writeUnits: 9, readUnits: 0.5, conditionFailures: 3, rounds: 4, usdPer1M: 7.101 },
  read: { requests: 9, writeUnits: 8, readUnits: 0.5, conditionFailures: 3, rounds: 4, usdPer1M: 6.476 },
  duplicateDelivered: { requests: 1, writeUnits: 0, readUnits: 0.5, conditionFailures: 0, rounds: 1, usdPer1M: 1.316 },
  lateDelivered: { requests: 12, writeUnits: 11, readUnits: 0.5, conditionFailures: 9, rounds: 4, usdPer1M: 8.351 },
  statusWebhookUsdPer1M: 6.041,
  deliveredReadUsdPer1M: 6.788,
};

/** The DynamoDB latencies issue 10's acceptance is stated with. */
const LATENCY = { readMs: 5, writeMs: 8 };

/**
 * The handler's own work per webhook in Lambda (signature, parse, normalise, SDK serialisation):
 * `bench:webhook` measures ~0.1 ms of it on one core; 512 MB is about a third of a vCPU, and each
 * SDK call adds its own overhead, so 3 ms is generous.
 */
const HANDLER_CPU_MS = 3;

/**
 * The DynamoDB round trips a webhook waits for one after the other: requests whose time in flight
 * overlaps are one round, which lasts as long as its slowest (injected) latency.
 */
const roundsOf = (log: readonly { isRead: boolean; startedAt: number; endedAt: number }[]): number[] => {
  const rounds: { end: number; ms: number }[] = [];
  for (const entry of [...log].sort((a, b) => a.startedAt - b.startedAt)) {
    const ms = entry.isRead ? LATENCY.readMs : LATENCY.writeMs;
    const last = rounds.at(-1);
    if (last && entry.startedAt < last.end) {
      last.end = Math.max(last.end, entry.endedAt);
      last.ms = Math.max(last.ms, ms);
    } else rounds.push({ end: entry.endedAt, ms });
  }
  return rounds.map((r) => r.ms);
};

const STATUSES = ['sent', 'delivered', 'read'] as const satisfies readonly MessageStatusValue[];

const argValue = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at < 0 ? undefined : process.argv[at + 1];
};

interface Figures {
  webhooks: number;
  requestsPerWebhook: number;
  requests: Record<string, number>;
  writeUnits: number;
  readUnits: number;
  conditionFailures: number;
  /** Local wall time with the injected latencies (dynalite runs in this process: its CPU time is in it). */
  ms: number;
  /** DynamoDB round trips waited for one after the other. */
  rounds: number;
  /** The billed Lambda duration modelled: the rounds' injected latencies plus HANDLER_CPU_MS. */
  modelledMs: number;
  usdPer1M: number;
}

const usdPer1M = (f: Omit<Figures, 'usdPer1M'>): number => {
  const lambdaSeconds = Math.ceil(f.modelledMs) / 1000;
  return (
    PRICES.httpApiRequestPerMillion +
    PRICES.lambdaRequestPerMillion +
    lambdaSeconds * PRICES.lambdaMemoryGb * PRICES.lambdaArmGbSecond * 1e6 +
    f.writeUnits * PRICES.writeUnitPerMillion +
    f.readUnits * PRICES.readUnitPerMillion
  );
};

/** Per-webhook means of several metered webhooks. */
type Sample = { counts: DynamoDbMeterCounts; ms: number; rounds: number; modelledMs: number };

const figures = (samples: Sample[]): Figures => {
  const n = samples.length;
  const requests: Record<string, number> = {};
  for (const { counts } of samples) for (const [op, k] of Object.entries(counts.requests)) requests[op] = (requests[op] ?? 0) + k / n;
  const mean = (pick: (s: (typeof samples)[number]) => number) => samples.reduce((sum, s) => sum + pick(s), 0) / n;
  const base = {
    webhooks: n,
    requestsPerWebhook: Object.values(requests).reduce((a, b) => a + b, 0),
    requests,
    writeUnits: mean((s) => s.counts.writeUnits),
    readUnits: mean((s) => s.counts.readUnits),
    conditionFailures: mean((s) => s.counts.conditionFailures),
    ms: mean((s) => s.ms),
    rounds: mean((s) => s.rounds),
    modelledMs: mean((s) => s.modelledMs),
  };
  return { ...base, usdPer1M: usdPer1M(base) };
};

const main = async (): Promise<void> => {
  const messages = Number(argValue('--messages') ?? 20);
  if (!Number.isInteger(messages) || messages < 1) throw new Error('--messages takes a whole number ≥ 1');
  const asJson = process.argv.includes('--json');
  const dynalite = await startDynalite();
  const latency = { on: false };
  const rig = await startWebhookRig(dynalite.endpoint, { tableName: 'bench-status', latency: () => (latency.on ? LATENCY : undefined) });
  const post = async (body: object): Promise<Sample> => {
    latency.on = true;
    const { status, counts, log, ms } = await rig.post(body);
    latency.on = false;
    if (status !== 200) throw new Error(`webhook answered ${status}`);
    const rounds = roundsOf(log);
    return { counts, ms, rounds: rounds.length, modelledMs: HANDLER_CPU_MS + rounds.reduce((sum, r) => sum + r, 0) };
  };

  const sentAt = Math.floor(Date.now() / 1000) - 3600;
  /** A contact who wrote before (so their record exists, as for a campaign's audience), sent a template. */
  const prepare = async (i: number): Promise<SentMessage> => {
    const waId = `4917${String(i).padStart(9, '0')}`;
    const message: SentMessage = { phoneNumberId: RIG_PHONE, wabaId: RIG_WABA, waId, bsuid: `DE.${String(9e15 + i)}`, wamid: `wamid.bench_${i}`, outboxId: '', sentAt: sentAt + i };
    await post(inboundText({ waId, bsuid: message.bsuid, wamid: `wamid.in_${i}`, atSeconds: sentAt - 86_400 }));
    message.outboxId = await sendThroughOutbox(rig.outbox, { phoneNumberId: RIG_PHONE, waId, wamid: message.wamid, campaignId: 'bench', now: Date.now() });
    return message;
  };

  try {
    // Warm-up (zod compiles lazily, the account registry fills its cache): not counted.
    const warm = await prepare(-1);
    for (const status of STATUSES) await post(statusBody(warm, status));

    const samples: Record<(typeof STATUSES)[number] | 'duplicateDelivered' | 'lateDelivered', Sample[]> = {
      sent: [],
      delivered: [],
      read: [],
      duplicateDelivered: [],
      lateDelivered: [],
    };
    for (let i = 0; i < messages; i += 1) {
      const message = await prepare(i);
      for (const status of STATUSES) samples[status].push(await post(statusBody(message, status)));
      samples.duplicateDelivered.push(await post(statusBody(message, 'delivered')));
      // Another message whose `read` overtakes its `delivered`.
      const late = await prepare(messages + i);
      await post(statusBody(late, 'sent'));
      await post(statusBody(late, 'read'));
      samples.lateDelivered.push(await post(statusBody(late, 'delivered')));
    }
    const perStatus = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, figures(v)])) as Record<keyof typeof samples, Figures>;
    const hot = STATUSES.map((s) => perStatus[s]);
    const statusWebhookUsdPer1M = hot.reduce((sum, f) => sum + f.usdPer1M, 0) / hot.length;
    const result = {
      messages,
      latency: LATENCY,
      prices: PRICES,
      perStatus,
      statusWebhookUsdPer1M: Number(statusWebhookUsdPer1M.toFixed(3)),
      deliveredReadUsdPer1M: Number(((perStatus.delivered.usdPer1M + perStatus.read.usdPer1M) / 2).toFixed(3)),
      baseline: BASELINE,
    };
    if (asJson) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(`${messages} WhatsApp messages afterchat sent (callback data = outbox id); DynamoDB ${LATENCY.readMs} ms read / ${LATENCY.writeMs} ms write injected`);
    const fmt = (n: number, d = 2) => n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });
    const rows: [string, string][] = [];
    for (const [name, f] of Object.entries(perStatus)) {
      const ops = Object.entries(f.requests).map(([op, k]) => `${fmt(k, 1)} ${op}`).join(' + ');
      const was = BASELINE[name as keyof typeof perStatus];
      rows.push([name, `${fmt(f.requestsPerWebhook, 1)} requests (${ops}), ${fmt(f.writeUnits, 1)} WRU, ${fmt(f.readUnits, 1)} RRU, ${fmt(f.conditionFailures, 1)} refused, ${fmt(f.rounds, 1)} round trips → ${fmt(f.modelledMs, 0)} ms billed (${fmt(f.ms, 0)} ms here), $${fmt(f.usdPer1M)} per 1M`]);
      rows.push(['  before', `${fmt(was.requests, 1)} requests, ${fmt(was.writeUnits, 1)} WRU, ${fmt(was.readUnits, 1)} RRU, ${fmt(was.conditionFailures, 1)} refused, ${fmt(was.rounds, 1)} round trips, $${fmt(was.usdPer1M)} per 1M`]);
    }
    printRows(rows);
    console.log(
      `\nstatusWebhookUsdPer1M (mean of sent, delivered, read): $${fmt(statusWebhookUsdPer1M)} (before: $${fmt(BASELINE.statusWebhookUsdPer1M)}); delivered/read: $${fmt(result.deliveredReadUsdPer1M)} (before: $${fmt(BASELINE.deliveredReadUsdPer1M)})`,
    );
    console.log('Before: this script on commit 9209613 (BASELINE in bin/bench-status.ts).');
    console.log('Prices: us-east-1 list, see PRICES in bin/bench-status.ts (API Gateway HTTP API $1.00/M, Lambda arm64 512 MB, DynamoDB on demand).');
    console.log(`Billed Lambda time is modelled: the DynamoDB round trips waited for in turn × their injected latency, plus ${HANDLER_CPU_MS} ms of handler work.`);
  } finally {
    rig.close();
    await dynalite.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
