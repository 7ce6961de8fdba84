// CampaignSchema and BusinessEventSchema: the samples in events/ parse, and bad input gets a message that says what to fix.
import type * as z from 'zod';
import { type Campaign, CampaignSchema } from '../../../lambdas/schemas/campaign';
import { BusinessEventSchema } from '../../../lambdas/schemas/business-event';
import { listEvents, loadEvent } from '../../helpers/events';

/** Each issue as `path: message`, what an admin API caller would read. */
const problems = (schema: z.ZodType, input: unknown): string[] => {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

const campaignSamples = listEvents('campaigns');
const businessEventSamples = listEvents('eventbridge');
const campaign = (overrides: Record<string, unknown>): Record<string, unknown> => ({
  ...loadEvent<Campaign>('campaigns/weekly-deals-recurring.json'),
  ...overrides,
});
const template = { type: 'template', name: 'weekly_deals', language: 'de' };

describe('events/campaigns samples', () => {
  it('has one sample per schedule kind', () => {
    const kinds = campaignSamples.map((p) => loadEvent<Campaign>(p).schedule.kind).sort();
    expect(kinds).toEqual(['local_time', 'once', 'recurring']);
  });

  it.each(campaignSamples)('%s is a valid campaign', (path) => {
    expect(problems(CampaignSchema, loadEvent(path))).toEqual([]);
  });
});

describe('events/eventbridge samples', () => {
  it('has samples', () => {
    expect(businessEventSamples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(businessEventSamples)('%s is a valid business event', (path) => {
    expect(problems(BusinessEventSchema, loadEvent(path))).toEqual([]);
  });
});

describe('campaign validation messages', () => {
  it('refuses an id that is not a slug', () => {
    expect(problems(CampaignSchema, campaign({ id: 'Weekly Deals' }))).toEqual([
      'id: a slug of 3–63 lowercase letters, digits and -, not starting with -',
    ]);
  });

  it('asks for a language on template content', () => {
    expect(problems(CampaignSchema, campaign({ content: { type: 'template', name: 'weekly_deals' } }))).toEqual([
      'content.language: template content needs a language, e.g. en_US or de',
    ]);
  });

  it('names the content types and schedule kinds it knows', () => {
    expect(problems(CampaignSchema, campaign({ content: { type: 'image', url: 'https://example.com/a.png' } }))).toEqual([
      "content.type: must be 'template', 'text' or 'marketing_message'",
    ]);
    expect(problems(CampaignSchema, campaign({ schedule: { kind: 'daily', at: '09:00' } }))).toEqual([
      "schedule.kind: must be 'once', 'recurring' or 'local_time'",
    ]);
  });

  it('needs at least one account, each once', () => {
    expect(problems(CampaignSchema, campaign({ accounts: [] }))).toEqual(['accounts: a campaign needs at least one account']);
    const account = { channel: 'whatsapp', accountId: '109876543210987' };
    expect(problems(CampaignSchema, campaign({ accounts: [account, account] }))).toEqual(['accounts: lists an account twice']);
  });

  it('sends marketing_message content only from Messenger accounts, as marketing', () => {
    const input = campaign({
      accounts: [
        { channel: 'messenger', accountId: '1234567890123456' },
        { channel: 'whatsapp', accountId: '109876543210987' },
      ],
      audience: {},
      content: { type: 'marketing_message', campaignMessageId: '120210000000000001', text: 'Deals' },
      kind: 'utility',
    });
    expect(problems(CampaignSchema, input)).toEqual([
      "accounts.1.channel: marketing_message content goes through Messenger's Marketing Message API; whatsapp accounts can't send it",
      "kind: marketing_message content is marketing: set kind to 'marketing'",
    ]);
  });

  it('refuses an audience channel none of the accounts is on', () => {
    expect(problems(CampaignSchema, campaign({ audience: { channel: 'instagram' } }))).toEqual([
      'audience.channel: no account of the campaign is on instagram, so this audience would be empty',
    ]);
  });

  it('needs each template parameter to have a source, and all named or all positional', () => {
    expect(problems(CampaignSchema, campaign({ content: { ...template, parameters: [{ name: 'first_name' }] } }))).toEqual([
      'content.parameters.0: a parameter needs fromAttribute, value, or both (value is the fallback)',
    ]);
    expect(
      problems(CampaignSchema, campaign({ content: { ...template, parameters: [{ name: 'first_name', value: 'du' }, { value: '15 %' }] } })),
    ).toEqual(['content.parameters: parameters must be all named or all positional']);
  });

  it('takes a template per language keyed by language or language and region, and names the keys it refuses', () => {
    const languages = { de: { language: 'de' }, pt_BR: { language: 'pt_BR', name: 'ofertas_semanais' } };
    expect(problems(CampaignSchema, campaign({ content: { ...template, languages } }))).toEqual([]);
    expect(problems(CampaignSchema, campaign({ content: { ...template, languages: { 'de-AT': { language: 'de' } } } }))).toEqual([
      'content.languages.de-AT: a language such as de, or a language and region such as pt_BR',
    ]);
    expect(problems(CampaignSchema, campaign({ content: { ...template, languages: { de: { name: 'weekly_deals' } } } }))).toEqual([
      'content.languages.de.language: Invalid input: expected string, received undefined',
    ]);
  });

  it('wants a once schedule as a zoned instant on a whole minute', () => {
    expect(problems(CampaignSchema, campaign({ schedule: { kind: 'once', at: '2026-11-27 09:00' } }))).toEqual([
      'schedule.at: an ISO-8601 instant with a zone, e.g. 2026-11-27T09:00:00Z',
    ]);
    expect(problems(CampaignSchema, campaign({ schedule: { kind: 'once', at: '2026-11-27T09:00:30Z' } }))).toEqual([
      'schedule.at: must fall on a whole minute: EventBridge schedules have minute precision',
    ]);
    expect(problems(CampaignSchema, campaign({ schedule: { kind: 'once', at: '2026-11-27T10:00:00+01:00' } }))).toEqual([]);
  });

  it.each([
    ['0 8 * * MON', /is not rate\(value unit\), cron\(6 fields\)/],
    ['cron(0 8 * * MON)', /expected 6 fields/],
    ['cron(0 8 * * MON *)', /one of them must be "\?"/],
    ['cron(0 25 ? * MON *)', /Hours/i],
    ['rate(1 days)', /takes "day"/],
    ['rate(7 day)', /takes "days"/],
    ['rate(0 minutes)', /whole number above 0/],
  ])('explains what is wrong with the recurring expression %s', (expression, message) => {
    const found = problems(CampaignSchema, campaign({ schedule: { kind: 'recurring', expression } }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^schedule\.expression: /);
    expect(found[0]).toMatch(message);
  });

  it("sends a one-off at(...) expression to schedule kind 'once'", () => {
    expect(problems(CampaignSchema, campaign({ schedule: { kind: 'recurring', expression: 'at(2026-11-27T09:00:00)' } }))).toEqual([
      "schedule.expression: a one-off date is schedule kind 'once', not at(...)",
    ]);
  });

  it('accepts the recurring expressions EventBridge accepts', () => {
    for (const expression of ['cron(0 8 ? * MON *)', 'cron(30 7 1 * ? *)', 'rate(1 hour)', 'rate(12 hours)']) {
      expect(problems(CampaignSchema, campaign({ schedule: { kind: 'recurring', expression } }))).toEqual([]);
    }
  });

  it('wants local times and quiet hours as HH:MM, and no repeated day', () => {
    expect(problems(CampaignSchema, campaign({ schedule: { kind: 'local_time', at: '9:30' } }))).toEqual([
      'schedule.at: a 24-hour time HH:MM, e.g. 09:30',
    ]);
    expect(problems(CampaignSchema, campaign({ schedule: { kind: 'local_time', at: '09:30', days: ['MON', 'MON'] } }))).toEqual([
      'schedule.days: lists a day twice',
    ]);
    expect(problems(CampaignSchema, campaign({ quietHours: { start: '24:00', end: '08:00' } }))).toEqual([
      'quietHours.start: a 24-hour time HH:MM, e.g. 09:30',
    ]);
    expect(problems(CampaignSchema, campaign({ quietHours: { start: '08:00', end: '08:00' } }))).toEqual([
      'quietHours: start and end are equal: the span would be empty or the whole day',
    ]);
  });

  it('refuses a frequency cap of zero sends', () => {
    expect(problems(CampaignSchema, campaign({ frequencyCap: { max: 0, perHours: 24 } }))).toEqual([
      'frequencyCap.max: Too small: expected number to be >=1',
    ]);
  });
});

describe('business event validation messages', () => {
  const event = loadEvent<Record<string, unknown> & { detail: Record<string, unknown> }>('eventbridge/order-shipped.json');

  it('wants the template name and language', () => {
    expect(problems(BusinessEventSchema, { ...event, detail: { ...event.detail, template: { name: 'order_shipped' } } })).toEqual([
      'detail.template.language: Invalid input: expected string, received undefined',
    ]);
  });

  it('wants named parameters', () => {
    expect(problems(BusinessEventSchema, { ...event, detail: { ...event.detail, parameters: { 'Order Number': 'SK-1' } } })).toEqual([
      'detail.parameters.Order Number: parameter names are lowercase words joined by _, such as order_number',
    ]);
  });

  it('refuses a detail without the sending account', () => {
    const detail = { ...event.detail };
    delete detail.accountId;
    expect(problems(BusinessEventSchema, { ...event, detail })).toEqual([
      'detail.accountId: Invalid input: expected string, received undefined',
    ]);
  });
});
