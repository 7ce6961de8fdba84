import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { header, type HttpResult } from '../http/responses';
import { type FollowLinkDeps, followLink, type LinkOutcome } from './follow-link';

/** The redirect's path: `GET /r/{token}`. */
export const REDIRECT_PATH_PREFIX = '/r/';

const STATUS: Record<Exclude<LinkOutcome['kind'], 'redirect'>, { code: number; text: string }> = {
  forged: { code: 403, text: 'This link is not valid.' },
  expired: { code: 410, text: 'This link has expired.' },
  unknown_target: { code: 404, text: 'This link leads nowhere.' },
};

// Every answer is per person and per click: never cached, never indexed, no referrer passed on.
const NO_STORE = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' };

/** `GET /r/{token}` (README "Clicks"): 302 to the link's target, else 403, 410 or 404 with a line of text. */
export const createRedirectHandler =
  (deps: FollowLinkDeps & { logger: Logger }) =>
  async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    const token = event.pathParameters?.token ?? tokenOfPath(event.rawPath);
    const outcome = await followLink(deps, { token, userAgent: header(event, 'user-agent') });
    if (outcome.kind === 'redirect') {
      deps.logger.info('tracking link followed', { counted: outcome.counted });
      return { statusCode: 302, headers: { ...NO_STORE, location: outcome.location }, body: '' };
    }
    deps.logger.info('tracking link refused', { reason: outcome.kind });
    const { code, text } = STATUS[outcome.kind];
    return { statusCode: code, headers: { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }, body: text };
  };

const tokenOfPath = (path: string | undefined): string | undefined =>
  path?.startsWith(REDIRECT_PATH_PREFIX) ? path.slice(REDIRECT_PATH_PREFIX.length) : undefined;
