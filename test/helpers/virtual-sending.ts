/**
 * Sending in virtual time: N logical sender instances (each its own createSender, SharedPacer and
 * limiter instance, as separate Lambdas), a virtual SQS queue, and the Meta simulator on loopback
 * with the same virtual clock. Real time on two cores can't reach 1,000 msg/s; here time only
 * moves when every instance waits (a slot, Graph's latency, an empty queue), so the rate the
 * limiter lets through is measured exactly, as Meta's simulator counts it (130429 per calendar
 * second, 131056 per pair).
 *
 * Latencies are virtual: Graph 150–300 ms (the request reaches Meta after 10–20 ms, the rest is
 * Meta's answer), DynamoDB 5 ms read / 8 ms write on the limiter, outbox and contact reads, SQS 15 ms.
 *
 * `senderRateAccuracyPct()` is what `npm run bench:scale` prints as `senderRateAccuracyPct`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { InMemoryLimiterTable, InMemorySendLimiter } from '../../lambdas/adapters/memory/send-limiter';
import { InMemoryOutbox } from '../../lambdas/adapters/memory/outbox';
import { GraphApiClient } from '../../lambdas/adapters/meta/graph-api-client';
import { StaticAccessTokens } from '../../lambdas/adapters/secrets/access-tokens';
import type { SendIntent } from '../../lambdas/domain/send/send-intent';
import { startMetaSimulator, type AcceptedMessage } from '../../lambdas/local/meta-simulator';
import type { Account } from '../../lambdas/ports/account-registry';
import type { GraphApi } from '../../lambdas/ports/graph-api';
import type { SendLimiter } from '../../lambdas/ports/send-limiter';
import type { SendQueue } from '../../lambdas/ports/send-queue';
import type { ContactRecord, StoredAttributes, TemplateRecord } from '../../lambdas/ports/state-store';
import { createSender } from '../../lambdas/send/sender';
import { SharedPacer } from '../../lambdas/send/shared-pacer';
import { createSqsSenderHandler } from '../../lambdas/send/sqs-sender-handler';
import { FixedAccounts, RecordingStore } from './recording-store';

const T0 = Date.UTC(2026, 4, 17, 12, 0, 0);
const HOUR = 3_600_000;
const PHONE = '109876543210987';
const WABA = '102290129340401';
const logger = new Logger({ logLevel: 'SILENT' });

// ---------------------------------------------------------------------------------------------

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** A clock that moves only when nothing can run: every task waits on a timer and no real I/O is in flight. */
export class VirtualTime {
  now = T0;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private busy = 0;

  readonly clock = (): number => this.now;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = { at: this.now + Math.max(0, ms), seq: this.seq++, resolve };
      let i = this.timers.length;
      while (i > 0 && (this.timers[i - 1] as Timer).at > timer.at) i -= 1;
      this.timers.splice(i, 0, timer);
    });

  /** Real I/O (the simulator, dynalite): time stands still until it is answered. */
  track<T>(work: Promise<T>): Promise<T> {
    this.busy += 1;
    return work.finally(() => {
      this.busy -= 1;
    });
  }

  /** Runs until `done()` or no task is left waiting. */
  async run(done: () => boolean): Promise<void> {
    for (;;) {
      await this.settle();
      if (done()) return;
      const next = this.timers.shift();
      if (!next) return;
      this.now = Math.max(this.now, next.at);
      next.resolve();
      // Everything due at the same instant runs together, as concurrent work would.
      while (this.timers.length > 0 && (this.timers[0] as Timer).at <= this.now) (this.timers.shift() as Timer).resolve();
    }
  }

  private async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((resolve) => setImmediate(resolve));
      quiet = this.busy === 0 ? quiet + 1 : 0;
    }
  }
}

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Every method of `target` waits `ms` of virtual time first (a DynamoDB or SQS round trip). */
const delayed = <T extends object>(target: T, time: VirtualTime, ms: (method: string) => number): T =>
  new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await time.sleep(ms(String(property)));
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });

export interface VirtualDynamoOptions {
  readMs?: number;
  writeMs?: number;
  /** Seeds the order in which requests issued at the same virtual instant reach dynalite. */
  seed?: number;
}

interface PendingRequest {
  command: unknown;
  resolve: (answer: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A DynamoDB client whose requests take virtual time and hold the clock while dynalite answers.
 * Requests due at the same virtual instant reach dynalite one at a time, in a seeded shuffle of
 * that instant's requests: in parallel, dynalite's socket order (real-time chance) would decide who
 * wins a contended conditional write, and the run would differ from one time to the next. The
 * shuffle, not the order they were issued in, since DynamoDB promises no order between concurrent
 * requests: issue order would always favour the same instances.
 */
export const virtualDynamoClient = (client: DynamoDBDocumentClient, time: VirtualTime, options: VirtualDynamoOptions = {}): DynamoDBDocumentClient => {
  const random = mulberry32(options.seed ?? 20260517);
  const send = (command: unknown) => (client.send as (c: unknown) => Promise<unknown>).call(client, command);
  let instant: PendingRequest[] = [];
  let answered: Promise<unknown> = Promise.resolve();
  const dispatch = () => {
    const due = instant;
    instant = [];
    for (let i = due.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [due[i], due[j]] = [due[j] as PendingRequest, due[i] as PendingRequest];
    }
    for (const request of due) answered = answered.then(() => send(request.command).then(request.resolve, request.reject));
  };
  return new Proxy(client, {
    get(object, property, receiver) {
      if (property !== 'send') return Reflect.get(object, property, receiver) as unknown;
      return async (command: { constructor: { name: string } }) => {
        await time.sleep(/Get|Query|Scan/.test(command.constructor.name) ? (options.readMs ?? 5) : (options.writeMs ?? 8));
        return time.track(
          new Promise((resolve, reject) => {
            // The requests of this instant are all issued before the next turn of the event loop.
            if (instant.length === 0) setImmediate(dispatch);
            instant.push({ command, resolve, reject });
          }),
        );
      };
    },
  });
};

/** SQS in virtual time: delays (capped at 15 minutes), receive in batches of 10. */
class VirtualQueue implements SendQueue {
  private readonly items: { id: string; visibleAt: number }[] = [];
  constructor(private readonly time: VirtualTime) {}

  enqueue(ids: readonly string[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = Math.min(900, Math.max(0, Math.ceil(options.delaySeconds ?? 0)));
    for (const id of ids) this.items.push({ id, visibleAt: this.time.now + delay * 1000 });
    return Promise.resolve();
  }

  receive(max: number): string[] {
    const taken: string[] = [];
    for (let i = 0; i < this.items.length && taken.length < max; ) {
      if ((this.items[i] as { visibleAt: number }).visibleAt <= this.time.now) taken.push((this.items.splice(i, 1)[0] as { id: string }).id);
      else i += 1;
    }
    return taken;
  }

  nextVisibleAt(): number | undefined {
    return this.items.length === 0 ? undefined : Math.min(...this.items.map((i) => i.visibleAt));
  }

  get size(): number {
    return this.items.length;
  }
}

// ---------------------------------------------------------------------------------------------

/** The people the run writes to: those in `inWindow` wrote at T0 (their window is open), the others never did. */
class VirtualStore extends RecordingStore {
  constructor(
    private readonly inWindow: ReadonlySet<string>,
    private readonly tier: string | undefined,
  ) {
    super();
  }
  override getPerson(contact: { channel: 'whatsapp' | 'messenger' | 'instagram'; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: this.inWindow.has(contact.userId) ? { lastInboundAt: T0, lastMessageAt: T0 } : {}, optIns: [] });
  }
  override listTemplates(): Promise<TemplateRecord[]> {
    return Promise.resolve([{ name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' }]);
  }
  override getAccountPolicy(account: { accountId: string }): Promise<StoredAttributes | undefined> {
    if (account.accountId !== WABA || this.tier === undefined) return Promise.resolve(undefined);
    return Promise.resolve({ phoneQuality_15550783881: JSON.stringify({ event: 'ONBOARDING', messagingLimit: this.tier, at: T0 - HOUR }), phoneQuality_15550783881Order: 1 });
  }
}

export interface VirtualJob {
  userId: string;
  /** A text reply (the person's window is open) or a utility template (outside any window). */
  kind: 'reply' | 'template';
  /** Campaign jobs wait for the portfolio's limit; one-off sends are refused by it. */
  campaign?: boolean;
}

export interface VirtualSendingOptions {
  /** The number's Meta throughput (its registration's `throughputPerSecond`, and the simulator's limit). */
  ratePerSecond: number;
  /** Logical sender instances (the event source's concurrency). */
  senders: number;
  jobs: readonly VirtualJob[];
  /** Stop at this virtual time after the start; else when every job is done. */
  durationMs?: number;
  /** The portfolio's stored tier (`TIER_250`...); absent: afterchat's default (250). */
  tier?: string;
  /** One limiter per logical instance over shared storage; default: the in-memory fake. */
  limiterFactory?: (time: VirtualTime) => Promise<() => SendLimiter> | (() => SendLimiter);
  /** The sending phone_number_id: runs sharing a limiter's storage use one each. */
  phoneNumberId?: string;
  seed?: number;
}

export interface VirtualSendingResult {
  accepted: AcceptedMessage[];
  /** Messages accepted per second in the steady part of the run (after the first second). */
  achievedRatePerSecond: number;
  /** Simulator refusals: 130429 (over the number's throughput in a second), 131056 (pair rate). */
  throughputRefusals: number;
  pairRateRefusals: number;
  /** Any other request the simulator did not accept (none expected). */
  otherRefusals: number;
  /** Most unique people reached outside a window within any rolling 24 h. */
  maxOutOfWindowReach: number;
  /** Outbox records by status and reason, e.g. `skipped:messaging_limit_reached`. */
  outcomes: Record<string, number>;
  endedAt: number;
}

const intentOf = (job: VirtualJob, accountId: string): SendIntent =>
  job.kind === 'reply'
    ? { channel: 'whatsapp', accountId, userId: job.userId, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Your order is on its way' } }
    : { channel: 'whatsapp', accountId, userId: job.userId, kind: 'utility', author: 'bot', content: { type: 'template', name: 'order_update', language: 'de' } };

const sqsEvent = (ids: readonly string[]): SQSEvent => ({
  Records: ids.map((outboxId, n) => ({
    messageId: `${outboxId}-${n}`,
    receiptHandle: 'r',
    body: JSON.stringify({ outboxId }),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'virtual', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:0:virtual',
    awsRegion: 'local',
  })),
});

/** The most unique people reached outside a window in any rolling 24 h, from what Meta accepted. */
const maxRollingReach = (messages: readonly AcceptedMessage[], inWindow: ReadonlySet<string>): number => {
  const out = messages.filter((m) => !inWindow.has(m.recipient)).sort((a, b) => a.at - b.at);
  let best = 0;
  for (let end = 0, start = 0; end < out.length; end += 1) {
    const at = (out[end] as AcceptedMessage).at;
    while ((out[start] as AcceptedMessage).at <= at - 24 * HOUR) start += 1;
    best = Math.max(best, new Set(out.slice(start, end + 1).map((m) => m.recipient)).size);
  }
  return best;
};

export const runVirtualSending = async (options: VirtualSendingOptions): Promise<VirtualSendingResult> => {
  const time = new VirtualTime();
  const random = mulberry32(options.seed ?? 20260517);
  const phone = options.phoneNumberId ?? PHONE;
  const tokens = { [phone]: 'virtual-token' };
  const simulator = await startMetaSimulator({ appSecret: 'virtual', tokens, clock: time.clock, throughputPerSecond: options.ratePerSecond, statuses: [] });
  try {
    const inWindow = new Set(options.jobs.filter((j) => j.kind === 'reply').map((j) => j.userId));
    for (const userId of inWindow) simulator.userMessaged({ channel: 'whatsapp', accountId: phone, userId, at: T0 });
    simulator.setTemplate({ wabaOrPageId: WABA, accountId: phone, name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY' });

    const dynamo = (method: string) => (/^(get|getMany|getPerson|listTemplates|getAccountPolicy|list)$/.test(method) ? 5 : 8);
    const memoryOutbox = new InMemoryOutbox();
    const outbox = delayed(memoryOutbox, time, dynamo);
    const store = delayed(new VirtualStore(inWindow, options.tier), time, dynamo);
    const account: Account = { channel: 'whatsapp', accountId: phone, displayName: 'virtual', tokenSecret: 't', timezone: 'UTC', wabaId: WABA, throughputPerSecond: options.ratePerSecond };
    const accounts = new FixedAccounts([account]);
    const queue = new VirtualQueue(time);
    const sqs = delayed(queue as SendQueue, time, () => 15);
    const client = new GraphApiClient({ baseUrl: simulator.url, version: 'v25.0', tokens: new StaticAccessTokens(tokens), timeoutMs: 60_000 });
    const refusals = new Map<number, number>();
    const graph: GraphApi = {
      send: async (request) => {
        const total = 150 + random() * 150;
        const uplink = 10 + random() * 10;
        await time.sleep(uplink);
        const result = await time.track(client.send(request));
        if (!result.ok && result.failure.code !== undefined) refusals.set(result.failure.code, (refusals.get(result.failure.code) ?? 0) + 1);
        await time.sleep(total - uplink);
        return result;
      },
    };
    const limiterOf = options.limiterFactory ? await options.limiterFactory(time) : (() => {
      const table = new InMemoryLimiterTable();
      return () => delayed<SendLimiter>(new InMemorySendLimiter(table), time, (m) => (m === 'countRecipients' ? 13 : 8));
    })();

    const handlers = Array.from({ length: options.senders }, () => {
      const processJob = createSender({
        outbox,
        store,
        accounts,
        graph,
        pacer: new SharedPacer({ limiter: limiterOf(), clock: time.clock, sleep: time.sleep, defaultRates: { whatsapp: 80, messenger: 40, instagram: 40 } }),
        queue: sqs,
        clock: time.clock,
        logger,
        staleClaimMs: 120_000,
      });
      return createSqsSenderHandler(processJob, logger);
    });

    const ids: string[] = [];
    for (const [i, job] of options.jobs.entries()) {
      const { record } = await memoryOutbox.create({ idempotencyKey: `virtual#${i}`, intent: intentOf(job, phone), now: T0, group: job.campaign ? 'campaign-1#occ-1' : undefined });
      ids.push(record.outboxId);
    }
    await queue.enqueue(ids);

    const endAt = options.durationMs === undefined ? Number.POSITIVE_INFINITY : T0 + options.durationMs;
    const terminal = new Set(['sent', 'failed', 'skipped', 'unknown']);
    const allDone = () => [...memoryOutbox.records.values()].every((r) => terminal.has(r.status));
    let stop = false;
    const loops = handlers.map(async (handler) => {
      while (!stop && time.now < endAt) {
        const batch = queue.receive(10);
        if (batch.length === 0) {
          const next = queue.nextVisibleAt();
          // Long polling: an empty receive returns when a message shows up (or after 20 s).
          await time.sleep(next === undefined ? 20_000 : Math.min(20_000, Math.max(15, next - time.now)));
          continue;
        }
        await time.sleep(15);
        await handler(sqsEvent(batch));
      }
    });
    await time.run(() => time.now >= endAt || (queue.size === 0 && allDone()));
    stop = true;
    const endedAt = time.now;
    // Let the loops see `stop` (their pending sleeps are simply dropped).
    void loops;

    const accepted = simulator.accepted();
    const steady = accepted.filter((m) => m.at >= T0 + 1000 && m.at < Math.min(endAt, endedAt));
    const steadySeconds = (Math.min(endAt, endedAt) - (T0 + 1000)) / 1000;
    const outcomes: Record<string, number> = {};
    for (const r of memoryOutbox.records.values()) {
      const key = `${r.status}${r.reason ? `:${r.reason}` : ''}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    return {
      accepted,
      achievedRatePerSecond: steadySeconds > 0 ? steady.length / steadySeconds : 0,
      throughputRefusals: refusals.get(130429) ?? 0,
      pairRateRefusals: refusals.get(131056) ?? 0,
      otherRefusals: simulator.requests() - accepted.length - (refusals.get(130429) ?? 0) - (refusals.get(131056) ?? 0),
      maxOutOfWindowReach: maxRollingReach(accepted, inWindow),
      outcomes,
      endedAt,
    };
  } finally {
    await simulator.close();
  }
};

/** Jobs for a rate run: in-window replies to distinct people, and every 50th to one of ten people who get many (the pair rate). */
export const rateRunJobs = (count: number): VirtualJob[] =>
  Array.from({ length: count }, (_, i) => ({ userId: i % 50 === 49 ? `4917100000${String(i % 10).padStart(3, '0')}` : `4915${String(i).padStart(9, '0')}`, kind: 'reply' as const }));

/** Logical instances enough to outrun the rate, so the limiter (not the senders) sets the pace. */
export const sendersFor = (ratePerSecond: number): number => Math.max(4, Math.ceil((ratePerSecond * 1.6) / 40));

/**
 * The achieved rate as a percentage of the configured one, keyed by rate: each rate runs its own
 * virtual-time sending (the shared limiter, N logical instances, the simulator) for `seconds`.
 */
export const senderRateAccuracyPct = async (
  options: { rates?: readonly number[]; seconds?: number; limiterFactory?: VirtualSendingOptions['limiterFactory'] } = {},
): Promise<Record<string, number>> => {
  const result: Record<string, number> = {};
  for (const rate of options.rates ?? [80, 1000]) {
    const seconds = options.seconds ?? (rate >= 500 ? 6 : 30);
    const run = await runVirtualSending({
      ratePerSecond: rate,
      senders: sendersFor(rate),
      jobs: rateRunJobs(Math.ceil(rate * seconds * 1.3)),
      durationMs: seconds * 1000,
      limiterFactory: options.limiterFactory,
      // A number of its own per rate, so runs sharing a limiter table never meet.
      phoneNumberId: `1098765432${String(rate).padStart(5, '0')}`,
    });
    result[String(rate)] = Math.round((run.achievedRatePerSecond / rate) * 1000) / 10;
  }
  return result;
};

export { T0 as VIRTUAL_T0 };
