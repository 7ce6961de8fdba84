import { configOrBuiltIn } from '../automation/stored-config';
import { takeThread } from '../automation/thread-control';
import { handoffLive, handoffOf, handoffRequested, handoffWrite, resumeWrite, type HandoffStart } from '../domain/automation/handoff';
import { threadMoveWrite, threadPassedAway, threadRouted } from '../domain/automation/thread-move';
import type { ContactRef } from '../domain/events';
import type { Decision } from '../domain/send/policy-types';
import type { RegisterWrite } from '../domain/state-writes';
import type { SendIntent } from '../domain/send/send-intent';
import { errorJson } from '../http/responses';
import type { AutomationConfig } from '../schemas/automation-config';
import type { AdminDeps } from './admin-api';
import type { AdminRouteImpls, Handler } from './route-handler';
import { handoffView } from './views';

/**
 * `POST` and `DELETE /admin/contacts/{channel}/{accountId}/{userId}/handoff`: an admin hands a
 * conversation to a human, or gives it back to automation (README "Human handoff"). Both write the
 * person's handoff register under the request's id, ordered by the API's clock, so a retried call
 * converges and a late redelivery of an older keyword can't undo a resume.
 */

/** A configuration the schema no longer reads must not keep an admin from handing over: the built-in one applies (stored-config.ts). */
const configOf = (deps: AdminDeps, contact: ContactRef): Promise<AutomationConfig> =>
  configOrBuiltIn(deps, contact, async () => (await deps.automationConfigs.read(contact))?.config);

const timeoutHoursOf = async (deps: AdminDeps, contact: ContactRef): Promise<number> => (await configOf(deps, contact)).handoff.timeoutHours;

/** The person's own record (a WhatsApp BSUID may be kept under the wa_id it is linked to). */
const personOf = async (deps: AdminDeps, contact: ContactRef) => {
  const record = await deps.store.getPerson(contact);
  return record && { record, home: { channel: record.channel, accountId: record.accountId, userId: record.userId } };
};

/** The register as the write leaves it: the write, unless a newer one was stored already (a register's rule). */
const answer = (contact: ContactRef, stored: Record<string, unknown>, write: RegisterWrite, now: number) => {
  const before = handoffOf(stored);
  const after = before !== undefined && before.order > write.order ? stored : { ...write.fields, [`${write.register}Order`]: write.order };
  const handoff = handoffView(after, now);
  if (!handoff) throw new Error('handoff register missing after its write');
  return { status: 200 as const, body: { ...contact, handoff } };
};

const startHandoff: Handler<'POST /admin/contacts/{channel}/{accountId}/{userId}/handoff'> = async (deps, { path: contact, body, event }) => {
  const person = await personOf(deps, contact);
  if (!person) return errorJson(404, 'contact not found', contact);
  const now = deps.clock();
  const start: HandoffStart = {
    contact: person.home,
    eventKey: `admin#${event.requestContext.requestId}`,
    at: now,
    source: 'admin',
    timeoutHours: await timeoutHoursOf(deps, contact),
    ...(body.note === undefined ? {} : { note: body.note }),
    started: !handoffLive(handoffOf(person.record.state), now),
    acknowledged: false,
  };
  const write = handoffWrite(start);
  // The event before the write: a failed put leaves nothing written, so the retried call starts the
  // handoff again and announces it. A retry after a failed write announces again, under its own eventKey.
  if (start.started) await announce(deps, [handoffRequested(start)]);
  await deps.store.apply([write]);
  return answer(contact, person.record.state, write, now);
};

const endHandoff: Handler<'DELETE /admin/contacts/{channel}/{accountId}/{userId}/handoff'> = async (deps, { path: contact, event }) => {
  const person = await personOf(deps, contact);
  if (!person) return errorJson(404, 'contact not found', contact);
  const now = deps.clock();
  const eventKey = `admin#${event.requestContext.requestId}`;
  const write = resumeWrite(person.home, eventKey, now);
  await deps.store.apply([write]);
  const threadControl = await takeThreadBack(deps, person.home, person.record.state, eventKey, now);
  const resumed = answer(contact, person.record.state, write, now);
  return { ...resumed, body: { ...resumed.body, threadControl } };
};

/**
 * Automation speaks again only if it holds the thread: where a handoff passed it to the account's
 * inbox app and it is still there, take it back. The take is recorded only once Meta accepted it: a
 * refusal (logged and counted by takeThread) fails nothing, and leaves the pass on record, so a
 * retried DELETE, or the person's next message on standby (handoff-rule.ts), tries again.
 */
const takeThreadBack = async (deps: AdminDeps, contact: ContactRef, state: Record<string, unknown>, eventKey: string, now: number) => {
  const config = await configOf(deps, contact);
  if (!threadRouted(config, contact.channel) || !deps.threadControl) return 'not_configured' as const;
  if (!threadPassedAway(state)) return 'not_passed' as const;
  const outcome = await takeThread({ threadControl: deps.threadControl, logger: deps.logger, metrics: deps.metrics }, contact, config, 'admin');
  if (outcome !== 'moved') return 'failed' as const;
  await deps.store.apply([threadMoveWrite(contact, 'take', now, eventKey)]);
  return 'taken' as const;
};

const announce = async (deps: AdminDeps, events: Parameters<NonNullable<AdminDeps['bus']>['put']>[0]): Promise<void> => {
  if (deps.bus) await deps.bus.put(events);
  else deps.logger.warn('no business bus here; handoff.requested not put');
};

/** Kinds a person at the business answers the conversation with (not their one-off promotions or updates). */
const AGENT_KINDS: ReadonlySet<SendIntent['kind']> = new Set(['reply', 'human_agent_reply']);

/**
 * An agent's reply through `POST /admin/sends` (author `human`) that the policy let through (re)starts
 * the handoff, source `agent_reply`, so the bot stays quiet while a human talks: for the account's
 * timeout from this reply. Timed by the job, not the call: a retried call with the same key (after
 * this write failed, while the job went out) writes the same register write again, which lands once.
 * No bus event: the agent is already there.
 */
export const afterAgentReply = async (deps: AdminDeps, intent: SendIntent, sent: { outboxId: string; createdAt: number; decision: Decision }): Promise<void> => {
  if (intent.author !== 'human' || !AGENT_KINDS.has(intent.kind) || sent.decision.outcome !== 'allow') return;
  const contact = { channel: intent.channel, accountId: intent.accountId, userId: intent.userId };
  await deps.store.apply([
    handoffWrite({
      contact,
      eventKey: `agent_reply#${sent.outboxId}`,
      at: sent.createdAt,
      source: 'agent_reply',
      timeoutHours: await timeoutHoursOf(deps, contact),
      started: false,
      acknowledged: false,
    }),
  ]);
};

export const handoffRoutes = {
  'POST /admin/contacts/{channel}/{accountId}/{userId}/handoff': { handle: startHandoff },
  'DELETE /admin/contacts/{channel}/{accountId}/{userId}/handoff': { handle: endHandoff },
} satisfies Partial<AdminRouteImpls>;
