import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from '../http/responses';

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

/** API Gateway's own payload cap; the webhook enforces its smaller limit itself. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;
const TEXT_TYPES = /^(application\/(json|[\w.+-]+\+json|x-www-form-urlencoded)|text\/)/i;

/**
 * Turns a Node HTTP request into the API Gateway HTTP API (payload 2.0) event Lambda would get:
 * lower-cased headers, comma-joined repeated values, text bodies as strings, others base64.
 */
export const toApiGatewayEvent = (req: IncomingMessage, body: Buffer, routeKey: string, now: number): APIGatewayProxyEventV2 => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? query : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body.length === 0 ? undefined : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
  };
};

export interface Route {
  routeKey: string;
  matches(method: string, path: string): boolean;
  handler: HttpHandler;
}

/** A request listener that dispatches to the matching route like HTTP API does (404 / 413 otherwise). */
export const apiGatewayListener =
  (routes: readonly Route[], clock: () => number, onError: (error: unknown) => void) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return send(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const method = (req.method ?? 'GET').toUpperCase();
      const route = routes.find((r) => r.matches(method, path));
      if (!route) return send(res, { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' });
      route
        .handler(toApiGatewayEvent(req, Buffer.concat(chunks), route.routeKey, clock()))
        .then((result) => send(res, result))
        .catch((error: unknown) => {
          onError(error);
          send(res, { statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal Server Error"}' });
        });
    });
  };

const send = (res: ServerResponse, result: HttpResult): void => {
  res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string> | undefined);
  res.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
};
