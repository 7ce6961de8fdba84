import { randomInt } from 'node:crypto';
import * as z from 'zod';

export interface FaultOptions {
  /** HTTP 500 `{ error: { code: 2, is_transient: true } }`, or a bare 503 (half each). */
  serverErrorRate?: number;
  /** 613 (Messenger, Instagram, Marketing Message API) / 130429 (WhatsApp), HTTP 400. */
  throttleRate?: number;
  /** Never answer: the client's own timeout must fire. */
  timeoutRate?: number;
  /** Destroy the socket before answering. */
  dropRate?: number;
  /** Added before every answer (and before every fault). */
  latencyMs?: number;
  /** Uniform extra latency in [0, latencyJitterMs). */
  latencyJitterMs?: number;
  /** when a fault hits after Meta "accepted" the message (timeout/drop after recording it) → ambiguous for the client */
  afterAcceptRate?: number;
}

/** How a WhatsApp phone number appears in the status webhooks' envelope. */
export interface WhatsAppNumber {
  wabaId: string;
  displayPhoneNumber: string;
}

export interface SimulatorOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /**
   * Oldest Graph API version served. Any `vN.M` path prefix is routed; one older than this answers
   * 2635 (deprecated version) like Meta. Default: none, every version is served.
   */
  apiVersion?: string;
  /** Signs the webhooks it posts. */
  appSecret: string;
  /** Where to POST webhooks (afterchat's /webhooks/meta); none → no webhooks. */
  webhookUrl?: string;
  /** Delay before posting a message's webhooks (default 0). */
  webhookDelayMs?: number;
  /** Which statuses follow an accepted message (default ['delivered', 'read']). */
  statuses?: ('delivered' | 'read')[];
  /** accountId (page id / IG id / phone_number_id / act_<ad account>) → valid access token; a wrong/missing token → 190. */
  tokens: Record<string, string>;
  /** Ids in `tokens` that are Instagram accounts: their `/messages` sends are Instagram, the others' Messenger. */
  instagramAccounts?: string[];
  /** phone_number_id → WABA and display number for status webhooks (default: the phone_number_id and 15550000000). */
  whatsappNumbers?: Record<string, WhatsAppNumber>;
  /** `app_id` on echoes and Marketing Message webhooks (default 1122334455667788). */
  appId?: string;
  faults?: FaultOptions;
  /** Deterministic fault draws (default: a random seed). */
  seed?: number;
  /** The simulator's "now" (ms) for windows, throughput, pair rate and webhook timestamps. */
  clock?: () => number;
  /** WhatsApp messages per second per phone_number_id before 130429 (default 80). */
  throughputPerSecond?: number;
  /** WhatsApp: minimum ms between two messages to one recipient before 131056 (default 6000; 0 disables). */
  pairRateMs?: number;
  /**
   * WhatsApp: where a send to a BSUID must put it, `recipient` or `to` (the other shape is refused 100).
   * Default: what afterchat's rule `whatsapp.bsuid_recipient_field` says at the simulator's clock.
   */
  bsuidRecipientField?: 'recipient' | 'to';
  /** phone_number_ids whose WABA is onboarded to the Marketing Messages API (others answer 134102 there). */
  marketingMessagesOnboarded?: string[];
}

export type FollowUpStatus = 'delivered' | 'read';

/** Options with defaults applied, as the rest of the simulator reads them. */
export interface SimulatorConfig {
  port: number;
  apiVersion?: string;
  appSecret: string;
  webhookUrl?: string;
  webhookDelayMs: number;
  statuses: readonly FollowUpStatus[];
  tokens: ReadonlyMap<string, string>;
  instagramAccounts: ReadonlySet<string>;
  whatsappNumbers: ReadonlyMap<string, WhatsAppNumber>;
  appId: string;
  faults: FaultOptions;
  seed: number;
  clock: () => number;
  throughputPerSecond: number;
  pairRateMs: number;
  bsuidRecipientField?: 'recipient' | 'to';
  marketingMessagesOnboarded: readonly string[];
}

const rate = z.number().min(0).max(1).optional();

const faultsSchema = z
  .object({
    serverErrorRate: rate,
    throttleRate: rate,
    timeoutRate: rate,
    dropRate: rate,
    latencyMs: z.number().nonnegative().optional(),
    latencyJitterMs: z.number().nonnegative().optional(),
    afterAcceptRate: rate,
  })
  // One draw picks at most one of these per request, so together they are a probability.
  .refine(
    (f) => (f.serverErrorRate ?? 0) + (f.throttleRate ?? 0) + (f.timeoutRate ?? 0) + (f.dropRate ?? 0) <= 1,
    'serverErrorRate + throttleRate + timeoutRate + dropRate must not exceed 1',
  );

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65_535).optional(),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .optional(),
  appSecret: z.string().min(1),
  webhookUrl: z.url().optional(),
  webhookDelayMs: z.number().nonnegative().optional(),
  statuses: z.array(z.enum(['delivered', 'read'])).optional(),
  tokens: z.record(z.string(), z.string().min(1)),
  instagramAccounts: z.array(z.string()).optional(),
  whatsappNumbers: z.record(z.string(), z.object({ wabaId: z.string().min(1), displayPhoneNumber: z.string().min(1) })).optional(),
  appId: z.string().regex(/^\d+$/).optional(),
  faults: faultsSchema.optional(),
  seed: z.number().int().optional(),
  clock: z.custom<() => number>((value) => typeof value === 'function').optional(),
  throughputPerSecond: z.number().int().positive().optional(),
  pairRateMs: z.number().nonnegative().optional(),
  bsuidRecipientField: z.enum(['recipient', 'to']).optional(),
  marketingMessagesOnboarded: z.array(z.string()).optional(),
});

const invalid = (what: string, error: z.ZodError): Error => new Error(`meta-simulator: invalid ${what}\n${z.prettifyError(error)}`);

/** Refuses impossible settings up front: a rate above 1 would silently mean "always" otherwise. */
export const checkFaults = (faults: FaultOptions | undefined): FaultOptions => {
  const parsed = faultsSchema.optional().safeParse(faults);
  if (!parsed.success) throw invalid('faults', parsed.error);
  return { ...faults };
};

export const resolveOptions = (options: SimulatorOptions): SimulatorConfig => {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw invalid('options', parsed.error);
  return {
    port: options.port ?? 0,
    apiVersion: options.apiVersion,
    appSecret: options.appSecret,
    webhookUrl: options.webhookUrl,
    webhookDelayMs: options.webhookDelayMs ?? 0,
    statuses: options.statuses ?? ['delivered', 'read'],
    tokens: new Map(Object.entries(options.tokens)),
    instagramAccounts: new Set(options.instagramAccounts),
    whatsappNumbers: new Map(Object.entries(options.whatsappNumbers ?? {})),
    appId: options.appId ?? '1122334455667788',
    faults: checkFaults(options.faults),
    seed: options.seed ?? randomInt(2 ** 31),
    clock: options.clock ?? Date.now,
    throughputPerSecond: options.throughputPerSecond ?? 80,
    pairRateMs: options.pairRateMs ?? 6_000,
    bsuidRecipientField: options.bsuidRecipientField,
    marketingMessagesOnboarded: options.marketingMessagesOnboarded ?? [],
  };
};
