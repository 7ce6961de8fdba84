/**
 * An admin route as the client calls it, typed from the route's schemas in the contract
 * (lambdas/admin/contract, imported for its types only: the CLI never loads the schemas) and sent
 * to the URL its key's own path template names. A route whose schema changes changes these types,
 * so a command that no longer fits the API fails the type check.
 */
import type { AdminRouteKey, Route } from '../../lambdas/admin/contract';
import { UsageError } from '../errors';

/** One part of a request: absent when the route has none, optional when every field of it is. */
type Part<Name extends string, T> = [T] extends [undefined] ? { [N in Name]?: never } : Partial<T> extends T ? { [N in Name]?: T } : { [N in Name]: T };

/** What a route takes: its path parameters, query and body, each as its schema accepts it. */
export type RequestOf<K extends AdminRouteKey> = Part<'path', Route<K>['path']> & Part<'query', Route<K>['query']> & Part<'body', Route<K>['body']>;

/** The request may be left out when nothing in it is required. */
export type RequestArgs<K extends AdminRouteKey> = Partial<RequestOf<K>> extends RequestOf<K> ? [request?: RequestOf<K>] : [request: RequestOf<K>];

type Responses<K extends AdminRouteKey> = Route<K>['responses'];

/** Each success answer the route may give: its status beside its body as the schema produces it. */
export type AnswerOf<K extends AdminRouteKey> = { [S in keyof Responses<K>]: { status: S; body: Responses<K>[S] } }[keyof Responses<K>];

/** Any success answer's body. */
export type ResponseOf<K extends AdminRouteKey> = Route<K>['response'];

/**
 * One value as one encoded path segment. `.` and `..` are refused: encoding leaves them as they are,
 * and the URL would drop the segment or the one before it, calling another route.
 */
export const pathSegment = (name: string, value: unknown): string => {
  const text = String(value);
  if (text === '.' || text === '..') throw new UsageError(`${name} can't be "${text}": as a URL path segment it would name another route`);
  return encodeURIComponent(text);
};

/** `GET /admin/sends/{outboxId}` with `{outboxId}` → the method and the path, each parameter one encoded segment. */
export const requestLine = (key: AdminRouteKey, params: Readonly<Record<string, unknown>> = {}): { method: string; path: string } => {
  const space = key.indexOf(' ');
  const path = key.slice(space + 1).replace(/\{([^}]+)\}/g, (_, name: string) => pathSegment(name, params[name]));
  return { method: key.slice(0, space), path };
};

export type QueryValue = string | number | boolean | undefined;

/** Query values as the URL carries them: as text, an absent one left out. */
export const queryText = (query: Readonly<Record<string, QueryValue>> = {}): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(query).map(([name, value]) => [name, value === undefined ? undefined : String(value)]));
