/**
 * A request's path parameters, query and body, parsed by its route's contract schemas; or the 400
 * that refuses them, in the order a caller fixes them: the path, then the query, then the body.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { errorJson, type HttpResult } from '../http/responses';
import type { ParsedInput, RouteContract } from './contract/route-contract';

type Parsed<T> = { ok: true; value: T } | { ok: false; answer: HttpResult };

interface ZodIssues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/** zod issues as the admin API reports them: where, and what is wrong. */
export const issuesOf = (error: ZodIssues) => error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/** The request body as JSON, or MALFORMED. */
const MALFORMED = Symbol('malformed');
const readJson = (event: APIGatewayProxyEventV2): unknown => {
  try {
    return JSON.parse(event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8') : '') as unknown;
  } catch {
    return MALFORMED;
  }
};

/**
 * The path parameters: a channel that isn't one answers `unknown channel` with the channels
 * expected; any other parameter `invalid path`, each issue at its parameter's name.
 */
export const parsePath = (schema: z.ZodObject, params: Record<string, string>): Parsed<unknown> => {
  const parsed = schema.safeParse(params);
  if (parsed.success) return { ok: true, value: parsed.data };
  const channel = schema.shape.channel as { options?: readonly string[] } | undefined;
  if (channel && parsed.error.issues.some((i) => i.path[0] === 'channel')) {
    return { ok: false, answer: errorJson(400, 'unknown channel', { channel: params.channel, expected: channel.options }) };
  }
  return { ok: false, answer: errorJson(400, 'invalid path', issuesOf(parsed.error)) };
};

const parseQuery = (schema: z.ZodObject, event: APIGatewayProxyEventV2): Parsed<unknown> => {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, answer: errorJson(400, 'invalid query', issuesOf(parsed.error)) };
};

const parseBody = (name: string, schema: z.ZodType, event: APIGatewayProxyEventV2): Parsed<unknown> => {
  const body = readJson(event);
  if (body === MALFORMED) return { ok: false, answer: errorJson(400, 'malformed JSON') };
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, answer: errorJson(400, `invalid ${name}`, issuesOf(parsed.error)) };
};

/** `bodySchema`: the schema this request's body is checked with (the contract's, or a narrower one of the deployment's). */
export const parseInput = <C extends RouteContract>(
  route: C,
  params: Record<string, string>,
  event: APIGatewayProxyEventV2,
  bodySchema: z.ZodType | undefined,
): Parsed<ParsedInput<C>> => {
  const path = route.path ? parsePath(route.path, params) : { ok: true as const, value: undefined };
  if (!path.ok) return path;
  const query = route.query ? parseQuery(route.query, event) : { ok: true as const, value: undefined };
  if (!query.ok) return query;
  const body = route.body && bodySchema ? parseBody(route.body.name, bodySchema, event) : { ok: true as const, value: undefined };
  if (!body.ok) return body;
  // The schemas are the contract's (or narrower, of the same output), so the values have its types.
  return { ok: true, value: { path: path.value, query: query.value, body: body.value } as ParsedInput<C> };
};
