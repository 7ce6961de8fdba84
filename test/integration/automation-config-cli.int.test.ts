/**
 * Interface under test: `afterchat accounts automation show|set` against the local stack, through
 * its admin API to the state table (issue 13, "Configuration per account"): the sample
 * configuration stored for a registered account and shown back, refusals in the API's words.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAfterchat } from '../helpers/cli-run';
import { loadEvent } from '../helpers/events';
import { startTestStack, type TestStack } from '../helpers/local-stack';

const PHONE = '109876543210987';

let stack: TestStack;
let afterchat: (args: string[]) => ReturnType<typeof runAfterchat>;

beforeAll(async () => {
  stack = await startTestStack();
  afterchat = (args) => runAfterchat(args, { env: { AFTERCHAT_URL: stack.url } });
});

afterAll(() => stack.close());

describe('afterchat accounts automation', () => {
  it('refuses an account that is not registered, saying how to register it, and exits 1', async () => {
    const { code, stderr } = await afterchat(['accounts', 'automation', 'show', 'whatsapp', '109876543219999']);
    expect(code).toBe(1);
    expect(stderr).toContain('account not registered');
    expect(stderr).toContain('register it first: PUT /admin/accounts/{channel}/{accountId}');
  });

  it('shows a registered account without configuration as the built-in one, and how to set one', async () => {
    expect((await afterchat(['accounts', 'apply', 'events/admin/accounts.json'])).code).toBe(0);
    const { code, stdout, stderr } = await afterchat(['accounts', 'automation', 'show', 'whatsapp', PHONE]);
    expect(code).toBe(0);
    expect(stdout).toContain(`whatsapp ${PHONE}: not configured, the built-in STOP / START and handoff keywords only`);
    expect(stdout).toMatch(/^businessHours +always open \(no away message\)$/m);
    expect(stderr).toBe(`configure it: npx afterchat accounts automation set whatsapp ${PHONE} --file automation.json\n`);
  });

  it('sets the sample from its file, shows it back as stored, and keeps it in the state table and the audit log', async () => {
    const set = await afterchat(['accounts', 'automation', 'set', 'whatsapp', PHONE, '--file', 'events/admin/automation-config.json']);
    const storedAt = new Date(stack.now.value).toISOString();
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`stored the automation of whatsapp ${PHONE} at ${storedAt}`);
    expect(set.stdout).toMatch(/^businessHours\.weekly\.fri +09:00–17:30$/m);
    expect(set.stdout).toMatch(/^businessHours\.weekly\.sat +10:00–16:00$/m);
    expect(set.stdout).toMatch(/^businessHours\.weekly\.sun +closed$/m);
    expect(set.stdout).toMatch(/^businessHours\.holidays +2026-12-25 Eerste Kerstdag, 2026-12-26 Tweede Kerstdag, 2027-01-01 Nieuwjaarsdag$/m);
    expect(set.stdout).toMatch(/^greeting\.texts\.de +Hallo \{firstName\}, willkommen bei Fietsenwinkel De Pijp! Wie können wir helfen\?$/m);

    const shown = await afterchat(['accounts', 'automation', 'show', 'whatsapp', PHONE, '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ config: loadEvent('admin/automation-config.json'), configured: true, updatedAt: storedAt });

    const items = (await stack.dump()).filter((item) => item.sk === 'AUTOMATION');
    expect(items).toEqual([expect.objectContaining({ pk: `A#whatsapp#${PHONE}`, entity: 'automation_config', updatedAt: stack.now.value })]);
    const { entries } = await stack.getJson<{ entries: { action: string; target: Record<string, string>; status: number }[] }>('/admin/audit');
    expect(entries.find((e) => e.action === 'PUT /admin/accounts/{channel}/{accountId}/automation')).toMatchObject({ target: { channel: 'whatsapp', accountId: PHONE }, status: 200 });
  });

  it('refuses a configuration the schema does not take, naming each field, exits 1 and keeps the stored one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'afterchat-automation-')), 'automation.json');
    writeFileSync(file, JSON.stringify({ businessHours: { weekly: { mon: [{ from: '17:30', to: '09:00' }] } }, greeting: { texts: { english: 'Hi!' } } }));
    const { code, stderr } = await afterchat(['accounts', 'automation', 'set', 'whatsapp', PHONE, '--file', file]);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid automation config');
    expect(stderr).toContain('businessHours.weekly.mon.0: from must be before to');
    expect(stderr).toContain('greeting.texts.english: not a language: an ISO 639-1 code such as de');
    const shown = await afterchat(['accounts', 'automation', 'show', 'whatsapp', PHONE, '--json']);
    expect((JSON.parse(shown.stdout) as { config: unknown }).config).toEqual(loadEvent('admin/automation-config.json'));
  });
});
