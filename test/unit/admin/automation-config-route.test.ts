/**
 * Interface under test: `GET` and `PUT /admin/accounts/{channel}/{accountId}/automation` on the admin
 * handler (issue 13, "Configuration per account"): the configuration automation acts on, defaults
 * applied, validated by its schema, for registered accounts only. The rig holds every answer to the
 * route's contract.
 */
import { InMemoryAuditLog } from '../../../lambdas/adapters/memory/audit-log';
import { DEFAULT_AUTOMATION_CONFIG } from '../../../lambdas/schemas/automation-config';
import { loadEvent } from '../../helpers/events';
import { PAGE, PHONE } from '../../helpers/sample-ids';
import { adminRig, NOW } from './admin-rig';

const AUTOMATION = `/admin/accounts/whatsapp/${PHONE}/automation`;
const SAMPLE = loadEvent('admin/automation-config.json');
const UNREGISTERED = '/admin/accounts/whatsapp/109876543219999/automation';

describe('GET /admin/accounts/{channel}/{accountId}/automation', () => {
  it('shows the built-in configuration, not configured, for a registered account that never stored one', async () => {
    const { call } = adminRig();

    const answer = await call('GET', AUTOMATION);

    expect(answer).toEqual({ status: 200, body: { config: DEFAULT_AUTOMATION_CONFIG, configured: false, updatedAt: null } });
    // Keywords and handoff answer without any configuration; nothing else does.
    expect(answer.body.config).toEqual({ defaultLanguage: 'en', keywords: { stop: [], start: [], handoff: [] }, handoff: { timeoutHours: 24 } });
  });

  it('answers 404 for an account that is not registered, saying how to register it', async () => {
    const { call } = adminRig();

    expect(await call('GET', UNREGISTERED)).toEqual({
      status: 404,
      body: {
        error: 'account not registered',
        detail: { channel: 'whatsapp', accountId: '109876543219999', hint: 'register it first: PUT /admin/accounts/{channel}/{accountId}' },
      },
    });
  });
});

describe('PUT /admin/accounts/{channel}/{accountId}/automation', () => {
  it('stores the sample configuration and answers it as GET then shows it, with the time of the write', async () => {
    const { call } = adminRig();

    const put = await call('PUT', AUTOMATION, SAMPLE);

    const expected = { config: SAMPLE, configured: true, updatedAt: new Date(NOW).toISOString() };
    expect(put).toEqual({ status: 200, body: expected });
    expect(await call('GET', AUTOMATION)).toEqual({ status: 200, body: expected });
  });

  it('fills in what a short configuration leaves out with the defaults', async () => {
    const { call } = adminRig();

    const { body } = await call('PUT', AUTOMATION, { greeting: { texts: { de: 'Hallo {firstName}!' } } });

    expect(body.config).toEqual({
      ...DEFAULT_AUTOMATION_CONFIG,
      greeting: { enabled: true, quietGapHours: 24, texts: { de: 'Hallo {firstName}!' } },
    });
  });

  it('replaces the whole configuration: a section the new one leaves out is off', async () => {
    const { call } = adminRig();
    await call('PUT', AUTOMATION, SAMPLE);

    await call('PUT', AUTOMATION, { away: { texts: { en: 'We are closed.' } } });

    const { body } = await call('GET', AUTOMATION);
    expect(body.config).toEqual({ ...DEFAULT_AUTOMATION_CONFIG, away: { enabled: true, texts: { en: 'We are closed.' } } });
  });

  it('keeps each account its own', async () => {
    const { call } = adminRig();

    await call('PUT', AUTOMATION, SAMPLE);

    expect((await call('GET', `/admin/accounts/messenger/${PAGE}/automation`)).body.configured).toBe(false);
  });

  it('answers 404 for an account that is not registered, and stores nothing for it', async () => {
    const { call, automationConfigs } = adminRig();

    const answer = await call('PUT', UNREGISTERED, SAMPLE);

    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe('account not registered');
    expect(await automationConfigs.read({ channel: 'whatsapp', accountId: '109876543219999' })).toBeUndefined();
  });

  it.each([
    ['business hours that end before they start', { businessHours: { weekly: { mon: [{ from: '17:30', to: '09:00' }] } } }, 'businessHours.weekly.mon.0', /from must be before to/],
    ['a weekday that is none', { businessHours: { weekly: { monday: [{ from: '09:00', to: '17:30' }] } } }, 'businessHours.weekly', /Unrecognized key: "monday"/],
    ['a time that is no time of day', { businessHours: { weekly: { sat: [{ from: '10:00', to: '25:00' }] } } }, 'businessHours.weekly.sat.0.to', /a time of day HH:MM/],
    ['a holiday that is no date', { businessHours: { weekly: {}, holidays: [{ date: '2026-12-32' }] } }, 'businessHours.holidays.0.date', /date/i],
    ['a text in a language that is no ISO 639-1 code', { greeting: { texts: { english: 'Hi {firstName}!' } } }, 'greeting.texts.english', /ISO 639-1/],
    ['a default language in upper case', { defaultLanguage: 'NL' }, 'defaultLanguage', /ISO 639-1/],
    ['a greeting without any text', { greeting: { texts: {} } }, 'greeting.texts', /at least one language/],
    ['a misspelt section', { ...SAMPLE, greting: { texts: { en: 'Hi!' } } }, 'greting', /not a field of the automation configuration/],
    ['a misspelt field inside a section', { away: { enabeld: false, texts: { en: 'Closed.' } } }, 'away.enabeld', /not a field of the automation configuration/],
  ])('refuses %s with 400 naming the field, and stores nothing', async (_case, body, path, message) => {
    const { call, automationConfigs } = adminRig();

    const answer = await call('PUT', AUTOMATION, body);

    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid automation config');
    expect(answer.body.detail).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) as string }]));
    expect(await automationConfigs.read({ channel: 'whatsapp', accountId: PHONE })).toBeUndefined();
  });

  it('is recorded in the audit log with the account it changed', async () => {
    const audit = new InMemoryAuditLog();
    const { call } = adminRig({ audit });

    await call('PUT', AUTOMATION, SAMPLE);

    expect(audit.all()).toEqual([
      expect.objectContaining({ action: 'PUT /admin/accounts/{channel}/{accountId}/automation', target: { channel: 'whatsapp', accountId: PHONE }, status: 200 }),
    ]);
  });
});
