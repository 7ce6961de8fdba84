/**
 * What one admin route promises: its method and path template (the table's key), what it is for,
 * and zod schemas for its path parameters, query, body and answers. The router validates requests
 * with these schemas (lambdas/admin/admin-router.ts), the OpenAPI document is generated from them
 * (openapi.ts), and a client infers its types from them. Who may call a route is
 * lib/access-levels.ts's table, which the IAM policies are built from (`accessOf` in match.ts).
 */
import * as z from 'zod';
import type { AdminMethod } from '../../../lib/access-levels';

/** `METHOD /admin/path/{param}`: one `{name}` per path segment the caller fills in. */
export type RouteKey = `${AdminMethod} /admin/${string}`;

/** Answers with a body of the route's own; every other status carries ErrorSchema. */
export type SuccessStatus = 200 | 201 | 202;
export type ErrorStatus = 400 | 404 | 409 | 502 | 503;

/** A field a request got wrong, and what it should be (never the value, which may be 5,000 characters). */
export const FieldIssueSchema = z.object({
  path: z.string().meta({ description: 'The field, dotted: `accountId`, `intent.userId`, `limit`' }),
  message: z.string(),
});

/**
 * Every 4xx and 5xx answer of the admin API: `error` says what went wrong. A malformed path, query
 * or body adds `detail: [{path, message}]`; other refusals name what they refer to in `detail` or in
 * fields beside `error` (a campaign's `status`, the template sync's `counts`).
 */
export const ErrorSchema = z
  .object({
    error: z.string().meta({ description: 'What went wrong, e.g. `invalid path`, `campaign not found`' }),
    detail: z.unknown().optional().meta({ description: 'Where: `[{path, message}]` for a malformed path, query or body; else what the refusal refers to' }),
  })
  .catchall(z.unknown())
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof ErrorSchema>;

export interface RouteContract {
  /** A stable name for the operation (OpenAPI `operationId`, a client's method name). */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** One field per `{name}` in the path, URL-decoded; a malformed one answers 400 `invalid path` (`unknown channel` for the channel). */
  readonly path?: z.ZodObject;
  /** A malformed one answers 400 `invalid query`; parameters not named here are ignored. */
  readonly query?: z.ZodObject;
  /** JSON; a malformed one answers 400 `malformed JSON`, an invalid one 400 `invalid <name>`. */
  readonly body?: { readonly name: string; readonly schema: z.ZodType };
  readonly responses: { readonly [S in SuccessStatus]?: z.ZodType };
  /** Refusals of this route beyond the 400 for a malformed path, query or body: when each is answered. */
  readonly errors?: { readonly [S in ErrorStatus]?: string };
}

export type RouteTable = Readonly<Record<RouteKey, RouteContract>>;

type In<S> = S extends z.ZodType ? z.input<S> : undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type BodySchemaOf<C extends RouteContract> = C['body'] extends { readonly schema: infer S } ? S : undefined;
export type SuccessOf<C extends RouteContract> = keyof C['responses'] & SuccessStatus;

/** A route's types as its caller sees them: what it sends, and each answer it may get by status. */
export interface CallerTypes<C extends RouteContract> {
  path: In<C['path']>;
  query: In<C['query']>;
  body: In<BodySchemaOf<C>>;
  responses: { [S in SuccessOf<C>]: Out<C['responses'][S]> };
  /** Any of its success answers. */
  response: Out<C['responses'][SuccessOf<C>]>;
}

/** What a route's handler gets: the path, query and body as its schemas parsed them. */
export interface ParsedInput<C extends RouteContract> {
  path: Out<C['path']>;
  query: Out<C['query']>;
  body: Out<BodySchemaOf<C>>;
}

/** A success answer of the route, its body typed by the schema of its status. */
export type SuccessAnswer<C extends RouteContract> = { [S in SuccessOf<C>]: { status: S; body: In<C['responses'][S]> } }[SuccessOf<C>];

/** `GET /admin/x/{id}` → method and path template. */
export const splitKey = (key: RouteKey): { method: AdminMethod; path: string } => {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space) as AdminMethod, path: key.slice(space + 1) };
};

/** A path template's parameter names, in order. */
export const templateNames = (template: string): string[] => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => String(m[1]));
