import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GraphError, errorBody } from './errors';
import { newFbtraceId } from './random';

export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body as JSON, or undefined when it is empty or not JSON (which Meta answers with 100). */
export const parseJson = (raw: Buffer): unknown => {
  try {
    return raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
};

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
};

export const sendGraphError = (res: ServerResponse, error: GraphError): void => {
  const fbtraceId = newFbtraceId();
  sendJson(res, error.httpStatus, errorBody(error, fbtraceId), {
    'x-fb-trace-id': fbtraceId,
    ...(error.code === 190 ? { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${error.message}"` } : {}),
  });
};
