/**
 * `POST /{version}/{page-id | ig-id}/pass_thread_control` and `.../take_thread_control`: Conversation
 * Routing (messenger-platform.md §2.9), answered `{ success: true }`. The simulator's own app (the
 * one whose token calls) holds every thread until it passes one; it takes any thread back, as the
 * Page's primary app may. Refusals: version, token, a body Meta would refuse (100), and a WhatsApp
 * number, which has no such edge; faults come from the fault options, as for sends.
 */
import * as z from 'zod';
import { type GraphError, graphError, invalidRequest } from './errors';
import type { SimulatorConfig } from './options';
import type { SimulatorState } from './simulator-state';

const THREAD_CONTROL_PATH = /^\/(?<version>v\d+\.\d+)\/(?<accountId>[^/]+)\/(?<edge>pass_thread_control|take_thread_control)\/?$/;

export interface ThreadControlEndpoint {
  version: string;
  accountId: string;
  action: 'pass' | 'take';
}

export const matchThreadControl = (pathname: string): ThreadControlEndpoint | undefined => {
  const groups = THREAD_CONTROL_PATH.exec(pathname)?.groups;
  return groups?.version && groups.accountId
    ? { version: groups.version, accountId: groups.accountId, action: groups.edge === 'pass_thread_control' ? 'pass' : 'take' }
    : undefined;
};

const recipient = z.object({ id: z.string().min(1) });
const metadata = z.string().max(1000).optional();
const passSchema = z.object({ recipient, target_app_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]), metadata });
const takeSchema = z.object({ recipient, metadata });

/** One accepted call, as tests read it back. */
export interface ThreadControlCall {
  accountId: string;
  userId: string;
  action: 'pass' | 'take';
  /** pass: the app the thread went to. */
  targetAppId?: string;
  metadata?: string;
  at: number;
}

export const threadControl = (
  ctx: { config: SimulatorConfig; state: SimulatorState; now: number },
  endpoint: ThreadControlEndpoint,
  body: unknown,
): { error: GraphError } | { call: ThreadControlCall } => {
  const { accountId, action } = endpoint;
  if (ctx.config.whatsappNumbers.has(accountId)) {
    return { error: graphError(100, `(#100) Tried accessing nonexisting field (${action}_thread_control) on node type (WhatsAppBusinessPhoneNumber)`) };
  }
  if (action === 'pass') {
    const parsed = passSchema.safeParse(body);
    if (!parsed.success) return { error: invalidRequest(parsed.error) };
    const { recipient: to, target_app_id: target, metadata: note } = parsed.data;
    return { call: { accountId, userId: to.id, action, targetAppId: String(target), ...(note === undefined ? {} : { metadata: note }), at: ctx.now } };
  }
  const parsed = takeSchema.safeParse(body);
  if (!parsed.success) return { error: invalidRequest(parsed.error) };
  const { recipient: to, metadata: note } = parsed.data;
  return { call: { accountId, userId: to.id, action, ...(note === undefined ? {} : { metadata: note }), at: ctx.now } };
};
