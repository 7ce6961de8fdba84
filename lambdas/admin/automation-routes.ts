import * as z from 'zod';
import { errorJson } from '../http/responses';
import type { StoredAutomationConfig } from '../ports/automation-config-store';
import { AutomationConfigSchema, DEFAULT_AUTOMATION_CONFIG } from '../schemas/automation-config';
import type { AdminRouteImpls, Handler } from './route-handler';

/**
 * `GET` and `PUT /admin/accounts/{channel}/{accountId}/automation`: a registered account's
 * automation configuration (README "Automation"). Who changed it, and when, is in the audit log.
 */

/** Paths of `input` that `output` (what the schema kept) lacks: fields zod would drop without a word. */
const unknownFields = (input: unknown, output: unknown, path: string[] = []): string[][] => {
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null) return [];
  return Object.entries(input).flatMap(([key, value]) =>
    Object.hasOwn(output, key) ? unknownFields(value, (output as Record<string, unknown>)[key], [...path, key]) : [[...path, key]],
  );
};

/**
 * The contract's schema, refusing fields it doesn't know: a misspelt section (`greting`) would
 * otherwise be dropped and that automation stay off, with a 200.
 */
const automationConfigBody = z
  .unknown()
  .superRefine((input, ctx) => {
    const parsed = AutomationConfigSchema.safeParse(input);
    if (!parsed.success) return;
    for (const path of unknownFields(input, parsed.data)) ctx.addIssue({ code: 'custom', path, message: 'not a field of the automation configuration' });
  })
  .pipe(AutomationConfigSchema);

const view = (stored: StoredAutomationConfig | undefined) =>
  stored === undefined
    ? { config: DEFAULT_AUTOMATION_CONFIG, configured: false, updatedAt: null }
    : { config: stored.config, configured: true, updatedAt: new Date(stored.updatedAt).toISOString() };

const notRegistered = (ref: { channel: string; accountId: string }) =>
  errorJson(404, 'account not registered', { ...ref, hint: 'register it first: PUT /admin/accounts/{channel}/{accountId}' });

const getAutomationConfig: Handler<'GET /admin/accounts/{channel}/{accountId}/automation'> = async (deps, { path: ref }) => {
  const [account, stored] = await Promise.all([deps.accounts.get(ref), deps.automationConfigs.read(ref)]);
  return account ? { status: 200, body: view(stored) } : notRegistered(ref);
};

const putAutomationConfig: Handler<'PUT /admin/accounts/{channel}/{accountId}/automation'> = async (deps, { path: ref, body }) => {
  if (!(await deps.accounts.get(ref))) return notRegistered(ref);
  return { status: 200, body: view(await deps.automationConfigs.put(ref, body)) };
};

export const automationRoutes = {
  'GET /admin/accounts/{channel}/{accountId}/automation': { handle: getAutomationConfig },
  'PUT /admin/accounts/{channel}/{accountId}/automation': { handle: putAutomationConfig, body: () => automationConfigBody },
} satisfies Partial<AdminRouteImpls>;
