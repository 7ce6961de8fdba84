/**
 * Interface under test: the campaign editor's form as the schema takes it (console/src/pages/
 * campaigns/campaign-form.ts, schedule-text.ts): what the editor sends is a campaign the admin API's
 * schema accepts, and a stored campaign comes back into the form unchanged.
 */
import { campaignOf, emptyForm, formOf, slugOf } from '../../../console/src/pages/campaigns/campaign-form';
import { scheduleText, utcInputValue, utcInstant } from '../../../console/src/pages/campaigns/schedule-text';
import { CampaignSchema } from '../../../lambdas/schemas/campaign';

const stored = {
  id: 'weekly-deals',
  name: 'Weekly deals',
  accounts: [{ channel: 'whatsapp' as const, accountId: '109876543210987' }],
  audience: { tags: ['newsletter'], attributes: { country: 'DE' }, channel: 'whatsapp' as const },
  content: { type: 'template' as const, name: 'weekly_deals', language: 'de', parameters: [{ name: 'first_name', fromAttribute: 'firstName', value: 'du' }] },
  kind: 'marketing' as const,
  schedule: { kind: 'recurring' as const, expression: 'cron(0 8 ? * MON *)' },
  quietHours: { start: '21:00', end: '08:00' },
  frequencyCap: { max: 2, perHours: 168 },
  caps: { maxRecipients: 5000, maxCostEur: 250 },
  status: 'scheduled' as const,
  tracking: { utm: { source: 'whatsapp' } },
};

describe('the campaign editor’s form', () => {
  it('gives back a stored campaign unchanged, its parameters and what it does not edit (tracking) kept', () => {
    expect(campaignOf(formOf(stored))).toEqual(stored);
  });

  it('makes a campaign the schema accepts from a new form: once at a UTC minute, the empty limits left out', () => {
    const body = campaignOf({ ...emptyForm(), id: 'herbst-vip', name: 'Herbst VIP', accounts: ['whatsapp/109876543210987'], template: 'herbst_sale|de', onceAt: '2026-11-27T09:00', audience: { tags: ['vip'] } });
    expect(body).toEqual({
      id: 'herbst-vip',
      name: 'Herbst VIP',
      accounts: [{ channel: 'whatsapp', accountId: '109876543210987' }],
      audience: { tags: ['vip'] },
      content: { type: 'template', name: 'herbst_sale', language: 'de' },
      kind: 'marketing',
      schedule: { kind: 'once', at: '2026-11-27T09:00:00Z' },
      status: 'draft',
    });
    expect(CampaignSchema.safeParse(body).success).toBe(true);
  });

  it('sends template parameters in order without their empty fields, so an unnamed one is positional', () => {
    const body = campaignOf({ ...emptyForm(), template: 'promo|de', parameters: [{ name: '', fromAttribute: 'firstName', value: '' }, { value: '15 %' }] });
    expect(body.content).toEqual({ type: 'template', name: 'promo', language: 'de', parameters: [{ fromAttribute: 'firstName' }, { value: '15 %' }] });
  });

  it('sends a local-time schedule with its days only when some are left out, in the week’s order', () => {
    const every = campaignOf({ ...emptyForm(), scheduleKind: 'local_time', localAt: '08:30' });
    const some = campaignOf({ ...emptyForm(), scheduleKind: 'local_time', localAt: '08:30', days: ['FRI', 'MON'] });
    expect([every.schedule, some.schedule]).toEqual([
      { kind: 'local_time', at: '08:30' },
      { kind: 'local_time', at: '08:30', days: ['MON', 'FRI'] },
    ]);
  });

  it('makes an id from a name, as the schema’s slug', () => {
    expect(slugOf('Black Friday — Große Aktion!')).toBe('black-friday-grosse-aktion');
    expect(slugOf('Hi')).toBe('hi-campaign');
    expect(slugOf('')).toBe('');
  });
});

describe('a schedule in words', () => {
  it('says once, recurring and local time as a marketer reads them', () => {
    expect(scheduleText({ kind: 'once', at: '2026-11-27T09:00:00Z' })).toBe('Once, 2026-11-27 09:00 UTC');
    expect(scheduleText({ kind: 'recurring', expression: 'cron(0 8 ? * MON *)' })).toBe('Recurring, cron(0 8 ? * MON *) (UTC)');
    expect(scheduleText({ kind: 'local_time', at: '08:30', days: ['MON', 'FRI'] })).toBe('At 08:30 in each contact’s time zone, MON FRI');
    expect(scheduleText({ kind: 'local_time', at: '08:30' })).toBe('At 08:30 in each contact’s time zone, every day');
  });

  it('holds a once instant in a UTC date-time input and reads it back', () => {
    expect(utcInputValue('2026-11-27T10:00:00+01:00')).toBe('2026-11-27T09:00');
    expect(utcInstant('2026-11-27T09:00')).toBe('2026-11-27T09:00:00Z');
    expect(utcInstant('')).toBeUndefined();
  });
});
