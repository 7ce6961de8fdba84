import * as z from 'zod';
import { AutomationConfigSchema } from '../../schemas/automation-config';
import { AccountPath } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime } from './times';

const AutomationConfig = AutomationConfigSchema.meta({
  id: 'AutomationConfig',
  description: 'An account’s conversation automation: business hours, texts per language, which automations are on (README "Automation")',
});

const AutomationConfigView = z.object({
  config: AutomationConfig.meta({ description: 'The configuration automation acts on, defaults applied: the built-in one while `configured` is false' }),
  configured: z.boolean().meta({ description: 'False while the account never stored a configuration (keywords and handoff only)' }),
  updatedAt: MaybeTime.meta({ description: 'When it was last stored (who stored it: `GET /admin/audit`); null while not configured' }),
});

export const automationContract = {
  'GET /admin/accounts/{channel}/{accountId}/automation': {
    operationId: 'getAutomationConfig',
    summary: 'A registered account’s automation configuration',
    path: AccountPath,
    responses: { 200: AutomationConfigView },
    errors: { 404: 'the account is not registered' },
  },
  'PUT /admin/accounts/{channel}/{accountId}/automation': {
    operationId: 'putAutomationConfig',
    summary: 'Replaces a registered account’s automation configuration',
    description: 'The whole configuration: a section left out is off (or its default). A field the schema doesn’t know is refused, so a misspelt section can’t be dropped silently. Automation instances pick it up within a minute.',
    path: AccountPath,
    body: { name: 'automation config', schema: AutomationConfig },
    responses: { 200: AutomationConfigView },
    errors: { 404: 'the account is not registered' },
  },
} as const satisfies RouteTable;
