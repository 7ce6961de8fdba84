/**
 * Contract test: every sample in events/ parses with the schema that guards its boundary. When Meta
 * changes a payload, refresh the sample and this test says which schema drifted.
 */
import * as z from 'zod';
import { normaliseWebhookBody } from '../../../lambdas/normalise/webhook-body';
import { AccountSchema } from '../../../lambdas/schemas/account';
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
});
