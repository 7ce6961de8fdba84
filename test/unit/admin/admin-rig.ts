/**
 * The admin handler over in-memory adapters that refuse what DynamoDB refuses: a key part over
 * 1,024 bytes, an item over 400 KB, and values the document client can't marshall (a map with a
 * `constructor` key, NaN). So a unit test sees the 500 a request would get in AWS. Every answer `call`
 * gets is held to the admin API's contract (test/helpers/admin-contract.ts).
 */
import { FakeErasureStore } from '../../helpers/fake-erasure-store';
import { Logger } from '@aws-lambda-powertools/logger';
import { marshall } from '@aws-sdk/util-dynamodb';
import { InMemoryOutbox } from '../../../lambdas/adapters/memory/outbox';
import { InMemoryTemplateCatalog } from '../../../lambdas/adapters/memory/template-catalog';
import { type AdminDeps, createAdminHandler } from '../../../lambdas/admin/admin-api';
import { createCampaignService } from '../../../lambdas/campaign/campaign-service';
import type { AccountRef, ContactRef } from '../../../lambdas/domain/events';
import type { Account, AccountRegistry } from '../../../lambdas/ports/account-registry';
import { InMemoryAuditLog } from '../../../lambdas/adapters/memory/audit-log';
import { InMemoryAutomationConfigStore } from '../../../lambdas/adapters/memory/automation-config-store';
import { InMemoryAutomationUsageStore } from '../../../lambdas/adapters/memory/automation-usage-store';
import { InMemoryConversationTurns } from '../../../lambdas/adapters/memory/conversation-turns';
import { InMemoryConversions } from '../../../lambdas/adapters/memory/conversions';
import { InMemoryMeasurementCounters } from '../../../lambdas/adapters/memory/measurement-counters';
import { InMemoryFunnelMilestones } from '../../../lambdas/adapters/memory/funnel-milestones';
import { InMemoryImportJobs } from '../../../lambdas/adapters/memory/import-jobs';
import { InMemoryQuarantine } from '../../../lambdas/adapters/memory/quarantine';
import type { AuditLog } from '../../../lambdas/ports/audit-log';
import type { ContactProfile, ContactProfiles } from '../../../lambdas/ports/contact-profiles';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import { createSendRequests } from '../../../lambdas/send/send-requests';
import { createTemplateSync } from '../../../lambdas/templates/sync-templates';
import { expectContract } from '../../helpers/admin-contract';
import { httpEvent } from '../../helpers/api-gateway-event';
import { DE_BSUID, DE_WA, PAGE, PHONE, PSID, WABA } from '../../helpers/sample-ids';
import {
  FixedAudience,
  LeasingOccurrenceStore,
  MemoryCampaignStore,
  PeopleStore,
  RecordingDispatchQueue,
  RecordingScheduler,
  RecordingSendQueue,
} from '../campaign/fakes';
import { MemoryImportQueue } from '../import/fakes';

export const NOW = Date.parse('2026-05-17T12:00:00Z');
export const TOKEN_PREFIX = 'afterchat/test/tokens/';

/** What DynamoDB answers to a request it can't take: a 400 from AWS, a 500 from the admin API. */
export class DynamoValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationException';
  }
}

/** Fields of a port's argument that end up in a key. */
const KEY_FIELDS = ['channel', 'accountId', 'userId', 'id', 'campaignId', 'occurrenceKey', 'outboxId', 'messageId', 'idempotencyKey'];
const MAX_KEY_BYTES = 1024;
const MAX_ITEM_BYTES = 400 * 1024;

const checkKey = (value: string): void => {
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) {
    throw new DynamoValidationError(`One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of ${MAX_KEY_BYTES} bytes`);
  }
};

const checkArgument = (arg: unknown, checkStrings: boolean): void => {
  if (typeof arg === 'string') {
    if (checkStrings) checkKey(arg);
    return;
  }
  if (typeof arg !== 'object' || arg === null) return;
  for (const field of KEY_FIELDS) {
    const value = (arg as Record<string, unknown>)[field];
    if (typeof value === 'string' && Object.hasOwn(arg, field)) checkKey(value);
  }
  // The document client's marshalling, with the adapters' options: throws where it would.
  marshall(arg as Record<string, unknown>, { removeUndefinedValues: true, convertTopLevelContainer: true });
  if (Buffer.byteLength(JSON.stringify(arg), 'utf8') > MAX_ITEM_BYTES) throw new DynamoValidationError('Item size has exceeded the maximum allowed size');
};

/**
 * `target` with every method's arguments held to DynamoDB's limits before it runs. String arguments
 * are keys, except in `cursorMethods` (their strings are page cursors, which adapters decode and refuse themselves).
 */
export const limited = <T extends object>(target: T, cursorMethods: readonly string[] = []): T =>
  new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        for (const arg of args) checkArgument(arg, !cursorMethods.includes(String(property)));
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });

/** A registry that stores what it is given, by channel and account id. */
export class MemoryAccounts implements AccountRegistry {
  readonly accounts = new Map<string, Account>();

  constructor(initial: Account[] = []) {
    for (const a of initial) this.accounts.set(`${a.channel}#${a.accountId}`, a);
  }

  list(): Promise<Account[]> {
    return Promise.resolve([...this.accounts.values()]);
  }

  get(ref: AccountRef): Promise<Account | undefined> {
    return Promise.resolve(this.accounts.get(`${ref.channel}#${ref.accountId}`));
  }

  put(account: Account): Promise<void> {
    this.accounts.set(`${account.channel}#${account.accountId}`, structuredClone(account));
    return Promise.resolve();
  }

  remove(ref: AccountRef): Promise<boolean> {
    return Promise.resolve(this.accounts.delete(`${ref.channel}#${ref.accountId}`));
  }
}

/** Profiles as written (the objects given, so a test can see their prototypes), by contact. */
export class MemoryProfiles implements ContactProfiles {
  readonly profiles = new Map<string, ContactProfile>();

  put(contact: ContactRef, profile: ContactProfile): Promise<void> {
    this.profiles.set(`${contact.channel}#${contact.accountId}#${contact.userId}`, profile);
    return Promise.resolve();
  }
}

const people: ContactRecord[] = [
  { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, state: { waId: DE_WA, bsuid: DE_BSUID, lastInboundAt: NOW - 3_600_000 }, optIns: [] },
  { channel: 'messenger', accountId: PAGE, userId: PSID, state: {}, optIns: [] },
];

/** The admin handler, its in-memory adapters (each refusing what DynamoDB refuses), and `call` to drive it. */
/** `audit: null` runs the API without an audit log (its route answers 503). */
export const adminRig = (options: { tokenSecretPrefix?: string | null; audit?: AuditLog | null } = {}) => {
  const clock = () => NOW;
  const logger = new Logger({ serviceName: 'afterchat-test', logLevel: 'SILENT' });
  const accounts = new MemoryAccounts([
    { channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: `${TOKEN_PREFIX}whatsapp`, timezone: 'Europe/Berlin', wabaId: WABA },
    { channel: 'messenger', accountId: PAGE, displayName: 'Shop', tokenSecret: `${TOKEN_PREFIX}messenger`, timezone: 'Europe/Berlin', country: 'DE' },
  ]);
  const profiles = new MemoryProfiles();
  const outbox = new InMemoryOutbox();
  const campaignStore = new MemoryCampaignStore();
  const occurrences = new LeasingOccurrenceStore();
  const store = limited(new PeopleStore(people));
  const limitedAccounts = limited<AccountRegistry>(accounts);
  const limitedOutbox = limited(outbox, ['listByContact', 'listGroup']);
  const quarantine = new InMemoryQuarantine();
  const automationConfigs = new InMemoryAutomationConfigStore(clock);
  const automationUsage = new InMemoryAutomationUsageStore();
  const measurement = { turns: new InMemoryConversationTurns(), counters: new InMemoryMeasurementCounters() };
  const funnel = new InMemoryFunnelMilestones(outbox);
  const conversions = new InMemoryConversions();
  const importJobs = new InMemoryImportJobs();
  const importQueue = new MemoryImportQueue();
  const deps: AdminDeps = {
    store,
    accounts: limitedAccounts,
    automationConfigs: limited(automationConfigs),
    automationUsage: limited(automationUsage),
    measurement: { turns: limited(measurement.turns), counters: limited(measurement.counters) },
    funnel: { counters: limited(funnel), conversions: limited(conversions), campaigns: limited(campaignStore), occurrences: limited(occurrences) },
    clock,
    logger,
    sends: createSendRequests({ outbox: limitedOutbox, queue: new RecordingSendQueue(), store, accounts: limitedAccounts, clock }),
    campaigns: createCampaignService({
      campaigns: limited(campaignStore),
      occurrences: limited(occurrences),
      audience: limited(new FixedAudience([DE_WA]), ['page']),
      store,
      accounts: limitedAccounts,
      outbox: limitedOutbox,
      continuations: new RecordingDispatchQueue(),
      scheduler: new RecordingScheduler(),
      clock,
    }),
    profiles: limited<ContactProfiles>(profiles),
    templateSync: createTemplateSync({ catalog: new InMemoryTemplateCatalog(), store, accounts: limitedAccounts, clock, logger }),
    graphApiVersion: 'v25.0',
    ...(options.tokenSecretPrefix === null ? {} : { tokenSecretPrefix: options.tokenSecretPrefix ?? TOKEN_PREFIX }),
    quarantine,
    audience: limited(new FixedAudience([DE_WA]), ['page']),
    erasure: limited(new FakeErasureStore()),
    // Not `limited`: a chunk is up to 1 MiB, which the DynamoDB adapter splits into items of its own.
    imports: { jobs: importJobs, queue: importQueue },
    ...(options.audit === null ? {} : { audit: options.audit ?? new InMemoryAuditLog() }),
  };
  const handler = createAdminHandler(deps);
  const call = async (method: string, path: string, body?: unknown, query?: Record<string, string>) => {
    const result = await handler(
      httpEvent({ method, path, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }), ...(query ? { query } : {}) }),
    );
    const answer = { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
    expectContract(method, path, answer.status ?? 200, answer.body);
    return answer;
  };
  return { handler, call, deps, accounts, profiles, outbox, campaigns: campaignStore, occurrences, quarantine, automationConfigs, automationUsage, measurement, funnel, conversions, importJobs, importQueue };
};
