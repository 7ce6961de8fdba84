/**
 * Contract test: every sample in events/ parses with the schema that guards its boundary. When Meta
 * changes a payload, refresh the sample and this test says which schema drifted.
 */
import * as z from 'zod';
import { normaliseWebhookBody } from '../../../lambdas/normalise/webhook-body';
import { AccountSchema } from '../../../lambdas/schemas/account';
import { AFTERCHAT_EVENT_DETAILS, isAfterchatEventType } from '../../../lambdas/schemas/afterchat-events';
import { EventBridgeEnvelopeSchema } from '../../../lambdas/schemas/business-event';
import { AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import { ImportRequestSchema } from '../../../lambdas/schemas/import-request';
import { OrderPlacedEventSchema } from '../../../lambdas/schemas/order-placed';
import { listEvents, loadEvent } from '../../helpers/events';

/** Samples that deliberately carry an item the schemas must refuse, with how many. */
const EXPECTED_SKIPS: Record<string, number> = {
  // Meta's own example of a value-level error: an interactive message that lost its payload.
  'meta/whatsapp/value-errors.json': 1,
};

describe('events/ samples', () => {
  const webhookSamples = listEvents('meta');

  it('covers every channel', () => {
    expect(webhookSamples.filter((p) => p.startsWith('meta/messenger/')).length).toBeGreaterThan(20);
    expect(webhookSamples.filter((p) => p.startsWith('meta/instagram/')).length).toBeGreaterThan(8);
    expect(webhookSamples.filter((p) => p.startsWith('meta/whatsapp/')).length).toBeGreaterThan(30);
  });

  it.each(webhookSamples)('%s parses into events with nothing skipped', (path) => {
    const batch = normaliseWebhookBody(loadEvent(path));
    expect(batch.skipped).toHaveLength(EXPECTED_SKIPS[path] ?? 0);
    expect(batch.events.length).toBeGreaterThan(0);
  });

  it('admin/accounts.json holds valid account registrations', () => {
    expect(() => z.array(AccountSchema).min(1).parse(loadEvent('admin/accounts.json'))).not.toThrow();
  });

  it('admin/automation-config.json is a whole automation configuration: the schema neither drops nor fills in anything', () => {
    const sample = loadEvent('admin/automation-config.json');
    const config = AutomationConfigSchema.parse(sample);
    expect(config).toEqual(sample);
    // The README's example: a shop in three languages, the greeting by first name.
    for (const texts of [config.greeting?.texts, config.away?.texts, config.defaultReply?.texts]) expect(Object.keys(texts ?? {}).sort()).toEqual(['de', 'en', 'nl']);
    expect(Object.values(config.greeting?.texts ?? {}).every((text) => text.includes('{firstName}'))).toBe(true);
  });

  it('admin/import-request.json is a whole POST /admin/imports body: the schema neither drops nor fills in anything', () => {
    const sample = loadEvent('admin/import-request.json');
    const request = ImportRequestSchema.parse(sample);
    expect(request).toEqual(sample);
    // The request for events/admin/import-contacts.csv: a column the automatic mapping would make an attribute of its own name, renamed; one dropped.
    expect(request.mapping).toEqual({ customer_no: 'attribute:customerNo', last_name: 'ignore' });
  });

  it.each(listEvents('conversions'))('%s is a whole order.placed event: the schema neither drops nor fills in anything', (path) => {
    const sample = loadEvent(path);
    expect(OrderPlacedEventSchema.parse(sample)).toEqual(sample);
  });

  it('afterchat/ holds a sample of every event afterchat puts on the business bus', () => {
    const types = new Set(listEvents('afterchat').map((path) => loadEvent<{ 'detail-type': string }>(path)['detail-type']));
    expect([...types].sort()).toEqual(Object.keys(AFTERCHAT_EVENT_DETAILS).sort());
  });

  it.each(listEvents('afterchat'))('%s is an event afterchat emits: its detail schema neither drops nor fills in anything, and it names no text', (path) => {
    const sample = loadEvent<{ 'detail-type': string; source: string; detail: unknown }>(path);
    expect(EventBridgeEnvelopeSchema.parse(sample)).toEqual(sample);
    // The source the emitting functions' IAM condition allows (lib/constructs/afterchat-events-grant.ts).
    expect(sample.source).toBe('afterchat.automation');
    const detailType = sample['detail-type'];
    expect(isAfterchatEventType(detailType)).toBe(true);
    if (!isAfterchatEventType(detailType)) return;
    expect(AFTERCHAT_EVENT_DETAILS[detailType].parse(sample.detail)).toEqual(sample.detail);
    expect(Object.keys(sample.detail as object)).not.toEqual(expect.arrayContaining(['text']));
  });
});
