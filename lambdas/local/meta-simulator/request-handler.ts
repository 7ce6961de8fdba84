import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { isAuthorised, presentedToken } from './auth';
import {
  type GraphError,
  deprecatedVersion,
  invalidParameter,
  invalidToken,
  pageThrottled,
  serverError,
  unknownPath,
  unsupportedMethod,
  whatsappThroughput,
} from './errors';
import { type ConnectionFault, type FaultDraw, type RequestFault, drawFaults } from './faults';
import { parseJson, readBody, sendGraphError, sendJson } from './http-io';
import { sendMarketingMessage, subscriptionTokenOf } from './marketing-messages';
import { sendPageMessage } from './messenger-send';
import { RECEIVED_PATH, receivedCounts } from './received-counts';
import type { FaultOptions, SimulatorConfig } from './options';
import type { SendOutcome } from './outcome';
import { type Endpoint, type Target, isOlderVersion, matchEndpoint, targetOf } from './routes';
import type { SimulatorState } from './simulator-state';
import { matchThreadControl, threadControl, type ThreadControlEndpoint } from './thread-control';
import { type ListingEndpoint, listTemplates, listingTokenOwners, matchListing } from './template-listing';
import type { WebhookPoster } from './webhook-poster';
import { sendWhatsAppMarketingMessage } from './whatsapp-marketing-messages';
import { sendWhatsAppMessage } from './whatsapp-send';

export interface RequestDeps {
  config: SimulatorConfig;
  state: SimulatorState;
  poster: WebhookPoster;
  /** Read per request, so setFaults() applies to the next one. */
  faults: () => FaultOptions;
  random: () => number;
  /** Aborted by close(): pending latency stops. */
  signal: AbortSignal;
}

/**
 * Whose token authorises the request. The Marketing Message API takes the ad account's (system-user)
 * token, or the Page token of the subscription's Page, which is what Meta's API reference shows.
 */
const tokenOwners = (state: SimulatorState, endpoint: Endpoint, target: Target, body: unknown): string[] => {
  const subscription = target.api === 'marketing' ? subscriptionTokenOf(body) : undefined;
  const page = subscription === undefined ? undefined : state.optInToken(subscription)?.accountId;
  return page === undefined ? [endpoint.accountId] : [endpoint.accountId, page];
};

/** Version, then token, then the body: the order in which Graph reports problems. */
const decide = (deps: RequestDeps, req: IncomingMessage, url: URL, endpoint: Endpoint, target: Target, body: unknown): SendOutcome => {
  const { config, state } = deps;
  if (config.apiVersion !== undefined && isOlderVersion(endpoint.version, config.apiVersion)) {
    return { error: deprecatedVersion(config.apiVersion) };
  }
  const presented = presentedToken(req, url);
  if (!tokenOwners(state, endpoint, target, body).some((owner) => isAuthorised(config.tokens, owner, presented))) {
    return { error: invalidToken() };
  }
  if (body === undefined) return { error: invalidParameter('The request body must be JSON') };
  const ctx = { config, state, accountId: endpoint.accountId, now: config.clock() };
  switch (target.api) {
    case 'whatsapp':
      return sendWhatsAppMessage(ctx, body);
    case 'whatsapp_marketing':
      return sendWhatsAppMarketingMessage(ctx, body);
    case 'marketing':
      return sendMarketingMessage(ctx, body);
    case 'page':
      return sendPageMessage(ctx, target.channel, body);
  }
};

/** Timeout: never answer, so only the client's own timeout (or close()) ends the request. */
const breakConnection = (req: IncomingMessage, fault: ConnectionFault): void => {
  if (fault === 'drop') req.socket.destroy();
};

const injectFault = (req: IncomingMessage, res: ServerResponse, fault: RequestFault, draw: FaultDraw, target: Target): void => {
  switch (fault) {
    case 'server_error':
      if (draw.bare503) res.writeHead(503).end();
      else sendGraphError(res, serverError());
      return;
    case 'throttle':
      sendGraphError(res, target.api === 'whatsapp' || target.api === 'whatsapp_marketing' ? whatsappThroughput() : pageThrottled());
      return;
    default:
      breakConnection(req, fault);
  }
};

export const createRequestHandler =
  (deps: RequestDeps) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === RECEIVED_PATH && req.method === 'GET') return sendJson(res, 200, receivedCounts(deps.state.accepted()));
    const listing = matchListing(url.pathname);
    if (listing !== undefined) return answerListing(deps, req, res, url, listing);
    const thread = matchThreadControl(url.pathname);
    if (thread !== undefined) return answerThreadControl(deps, req, res, url, thread, parseJson(raw));
    const endpoint = matchEndpoint(url.pathname);
    if (endpoint === undefined) return sendGraphError(res, unknownPath(url.pathname));
    if (req.method !== 'POST') return sendGraphError(res, unsupportedMethod(req.method ?? 'GET'));

    const body = parseJson(raw);
    const target: Target = endpoint.edge === 'marketing_messages' ? { api: 'whatsapp_marketing' } : targetOf(endpoint.accountId, body, deps.config);
    const draw = drawFaults(deps.random, deps.faults());
    const pause = async () => {
      if (draw.latencyMs > 0) await delay(draw.latencyMs, undefined, { signal: deps.signal });
    };
    const { before } = draw;
    if (before !== undefined) {
      await pause();
      return injectFault(req, res, before, draw, target);
    }

    const outcome = decide(deps, req, url, endpoint, target, body);
    if ('accepted' in outcome) {
      deps.state.record(outcome.accepted);
      // Like Meta's, the webhooks may reach afterchat before this answer reaches the client.
      deps.poster.schedule(outcome.webhooks);
    }
    await pause();
    if ('error' in outcome) return sendGraphError(res, outcome.error);
    if (draw.afterAccept !== undefined) return breakConnection(req, draw.afterAccept);
    sendJson(res, 200, outcome.response);
  };

/**
 * The template listings (GET only; creating templates isn't simulated). Version, then token, like
 * the sends; faults are not injected here, only latency.
 */
const answerListing = async (deps: RequestDeps, req: IncomingMessage, res: ServerResponse, url: URL, listing: ListingEndpoint): Promise<void> => {
  const { config, state } = deps;
  if (req.method !== 'GET') return sendGraphError(res, unsupportedMethod(req.method ?? 'POST'));
  const latency = deps.faults().latencyMs ?? 0;
  if (latency > 0) await delay(latency, undefined, { signal: deps.signal });
  if (config.apiVersion !== undefined && isOlderVersion(listing.version, config.apiVersion)) return sendGraphError(res, deprecatedVersion(config.apiVersion));
  const presented = presentedToken(req, url);
  if (!listingTokenOwners(state, config, listing.ownerId).some((owner) => isAuthorised(config.tokens, owner, presented))) {
    return sendGraphError(res, invalidToken());
  }
  const outcome = listTemplates({ config, state, now: config.clock() }, listing, url, `http://${req.headers.host ?? '127.0.0.1'}`);
  if ('error' in outcome) return sendGraphError(res, outcome.error);
  sendJson(res, 200, outcome.body);
};

/** pass/take_thread_control: faults and latency as for a Page send; version, then token, then the body. */
const answerThreadControl = async (
  deps: RequestDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  endpoint: ThreadControlEndpoint,
  body: unknown,
): Promise<void> => {
  const { config, state } = deps;
  if (req.method !== 'POST') return sendGraphError(res, unsupportedMethod(req.method ?? 'GET'));
  const draw = drawFaults(deps.random, deps.faults());
  const pause = async () => {
    if (draw.latencyMs > 0) await delay(draw.latencyMs, undefined, { signal: deps.signal });
  };
  if (draw.before !== undefined) {
    await pause();
    return injectFault(req, res, draw.before, draw, { api: 'page', channel: 'messenger' });
  }
  const refuse = (error: GraphError) => pause().then(() => sendGraphError(res, error));
  if (config.apiVersion !== undefined && isOlderVersion(endpoint.version, config.apiVersion)) return refuse(deprecatedVersion(config.apiVersion));
  if (!isAuthorised(config.tokens, endpoint.accountId, presentedToken(req, url))) return refuse(invalidToken());
  if (body === undefined) return refuse(invalidParameter('The request body must be JSON'));
  const outcome = threadControl({ config, state, now: config.clock() }, endpoint, body);
  if ('error' in outcome) return refuse(outcome.error);
  state.recordThreadControl(outcome.call);
  await pause();
  if (draw.afterAccept !== undefined) return breakConnection(req, draw.afterAccept);
  sendJson(res, 200, { success: true });
};
