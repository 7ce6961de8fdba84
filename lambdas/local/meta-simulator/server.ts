import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphError } from './errors';
import { sendGraphError } from './http-io';
import { type SimulatorOptions, checkFaults, resolveOptions } from './options';
import { mulberry32 } from './random';
import { createRequestHandler } from './request-handler';
import { type AcceptedMessage, type Channel, SimulatorState, type TemplateCategory, type TemplateQuality, type TemplateStatus } from './simulator-state';
import type { ThreadControlCall } from './thread-control';
import { WebhookPoster } from './webhook-poster';

export interface MetaSimulator {
  /** Base URL, e.g. http://127.0.0.1:PORT (the client calls `${url}/v25.0/<id>/messages`). */
  url: string;
  /** Every message Meta accepted, in order (including those whose answer a fault swallowed). */
  accepted(): AcceptedMessage[];
  /** Accepted messages to this PSID / IGSID / wa_id (with or without the `+`). */
  countFor(recipient: string): number;
  /** All HTTP requests received, including refused and faulted ones. */
  requests(): number;
  /** Opens that pair's 24 h window (and HUMAN_AGENT's 7 days) as of `at`. */
  userMessaged(p: { channel: Channel; accountId: string; userId: string; at: number }): void;
  /** The person under `previous` is now `current` (a number or username change): Meta carries their state over. */
  userChangedId(p: { accountId: string; previous: string; current: string }): void;
  /**
   * Keyed by the sending accountId (Page id or phone_number_id), which sends check. The listings
   * (`GET /{waba_id|page_id}/message_templates`) find it under `wabaOrPageId`, else the number's WABA
   * from `whatsappNumbers`, else `accountId`; `id`, `quality` and `components` are what they show.
   */
  setTemplate(p: {
    wabaOrPageId?: string;
    accountId: string;
    name: string;
    language: string;
    status: TemplateStatus;
    category: TemplateCategory;
    id?: string;
    quality?: TemplateQuality;
    components?: unknown[];
  }): void;
  /** WhatsApp user_preferences stop → marketing templates accepted, then a failed status 131050. */
  optOutMarketing(p: { accountId: string; userId: string }): void;
  /** WhatsApp per-user marketing limit → marketing templates outside a window accepted, then failed 131049. */
  setMarketingLimited(p: { accountId: string; userId: string }): void;
  /** WhatsApp Marketing Messages API: the number's WABA is (or is no longer) onboarded; not onboarded answers 134102. */
  setMarketingMessagesOnboarded(p: { accountId: string; onboarded?: boolean }): void;
  /** WhatsApp: the WABA sets `disable_marketing_messages_on_cloud_api`, so marketing templates on `/messages` fail 131063. */
  disableCloudApiMarketing(p: { accountId: string }): void;
  /** Messenger marketing token (legacy notification_messages_token and Marketing Message API subscription_token). */
  addOptInToken(p: { accountId: string; userId: string; token: string; status?: 'active' | 'stopped' }): void;
  /** Every pass/take_thread_control Meta accepted, in order. */
  threadControlCalls(): ThreadControlCall[];
  /** The app a Page passed the person's thread to; undefined while the simulator's own app holds it. */
  threadOwner(p: { accountId: string; userId: string }): string | undefined;
  setFaults(f: SimulatorOptions['faults']): void;
  /** Awaits all pending and in-flight webhooks, including their retries. */
  flushWebhooks(): Promise<void>;
  /** Drops held connections, pending latency and unsent webhooks. */
  close(): Promise<void>;
}

const listen = (server: Server, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

/** An in-process Meta Graph API for integration tests and the local stack, on loopback. */
export const startMetaSimulator = async (options: SimulatorOptions): Promise<MetaSimulator> => {
  const config = resolveOptions(options);
  const state = new SimulatorState();
  for (const accountId of config.marketingMessagesOnboarded) state.setMarketingMessagesOnboarded(accountId, true);
  const lifetime = new AbortController();
  let faults = config.faults;
  let requestCount = 0;
  const poster = new WebhookPoster({
    url: config.webhookUrl,
    appSecret: config.appSecret,
    delayMs: config.webhookDelayMs,
    clock: config.clock,
    signal: lifetime.signal,
  });
  const handle = createRequestHandler({ config, state, poster, faults: () => faults, random: mulberry32(config.seed), signal: lifetime.signal });

  const server = createServer((req, res) => {
    requestCount += 1;
    handle(req, res).catch((error: unknown) => {
      if (lifetime.signal.aborted || res.headersSent) {
        req.socket.destroy();
        return;
      }
      // A simulator bug: say so in a Graph-shaped answer rather than leave the client hanging.
      sendGraphError(res, graphError(1, `meta-simulator internal error: ${String(error)}`, { httpStatus: 500 }));
    });
  });
  await listen(server, config.port);
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    lifetime.abort();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Held (timed-out) and keep-alive connections would otherwise keep close() waiting.
    server.closeAllConnections();
    await closed;
    await poster.flush();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => state.accepted(),
    countFor: (recipient) => state.countFor(recipient),
    requests: () => requestCount,
    userMessaged: ({ channel, accountId, userId, at }) => state.userMessaged(channel, accountId, userId, at),
    userChangedId: ({ accountId, previous, current }) => state.userChangedId(accountId, previous, current),
    // A status change (a webhook told locally) keeps what the listing shows besides it.
    setTemplate: ({ wabaOrPageId, accountId, name, language, status, category, id, quality, components }) =>
      state.setTemplate(accountId, name, language, {
        ...state.template(accountId, name, language),
        status,
        category,
        ...(wabaOrPageId === undefined ? {} : { owner: wabaOrPageId }),
        ...(id === undefined ? {} : { id }),
        ...(quality === undefined ? {} : { quality }),
        ...(components === undefined ? {} : { components }),
      }),
    optOutMarketing: ({ accountId, userId }) => state.optOutMarketing(accountId, userId),
    setMarketingLimited: ({ accountId, userId }) => state.setMarketingLimited(accountId, userId),
    setMarketingMessagesOnboarded: ({ accountId, onboarded }) => state.setMarketingMessagesOnboarded(accountId, onboarded ?? true),
    disableCloudApiMarketing: ({ accountId }) => state.disableCloudApiMarketing(accountId),
    addOptInToken: ({ accountId, userId, token, status }) => state.addOptInToken(token, { accountId, userId, status: status ?? 'active' }),
    threadControlCalls: () => state.threadControlCalls(),
    threadOwner: ({ accountId, userId }) => state.threadOwner(accountId, userId),
    setFaults: (next) => {
      faults = checkFaults(next);
    },
    flushWebhooks: () => poster.flush(),
    close: () => (closing ??= shutdown()),
  };
};
