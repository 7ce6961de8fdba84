import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema';

/**
 * The admin API, typed from its OpenAPI document. Same origin: the local stack serves the console
 * beside the API, and `afterchat console` forwards /admin/ to a deployed stack, signed.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin });

export type Schemas = components['schemas'];
/** The 200/201/202 JSON answer of an operation. */
export type Answer<Op extends keyof operations> = operations[Op] extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : R extends { 202: { content: { 'application/json': infer B } } }
        ? B
        : never
  : never;

/** What the admin API says when it refuses (its Error schema): `error`, and `detail` for a malformed request. */
export interface ApiError {
  error: string;
  message?: string;
  detail?: unknown;
}

/** An error answer as one sentence a person can read. */
export const errorText = (error: unknown, status?: number): string => {
  const body = error as Partial<ApiError> | undefined;
  // `detail` is `[{path, message}]` for a malformed request; other refusals put other things there.
  const detail = Array.isArray(body?.detail) ? (body.detail as { path?: string; message?: string }[]).map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ') : undefined;
  const message = body?.error ?? body?.message ?? (error instanceof Error ? error.message : 'the admin API did not answer');
  return `${status ? `${status} ` : ''}${message}${detail ? ` (${detail})` : ''}`;
};
