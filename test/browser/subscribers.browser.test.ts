/**
 * Interface under test: the console's Subscribers area in Chromium against the local stack: the
 * audience growth of a seeded week (signed webhooks at injected times), and a CSV import with one
 * bad line through the admin API and the stack's import worker: the dry run shows exactly that
 * line's error and who would be sendable, the real run shows its progress and summary, and the
 * contacts exist afterwards.
 */
import type { Locator } from 'playwright-core';
import { type ConsoleBrowser, launchConsole } from '../helpers/browser';
import { automationQueueDrained } from '../helpers/automation-queue';
import { startTestStack, type TestStack } from '../helpers/local-stack';
import { PHONE, WABA } from '../helpers/sample-ids';
import { from, messagesBody, SAMPLE_NUMBER, text, userPreferenceBody } from '../helpers/whatsapp-webhook';

let stack: TestStack;
let ui: ConsoleBrowser;

/** The stack's today (startTestStack's clock): 2026-05-17, 14:00 UTC. */
let today: number;

const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${stack.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** A table's body as text, cell by cell. */
const rowsOf = async (table: Locator): Promise<string[][]> => (await table.locator('tbody tr').allInnerTexts()).map((row) => row.split('\t').map((cell) => cell.trim()));

/** A signed webhook received a second after `atMs`, on the stack's clock. */
const receive = async (body: object, atMs: number) => {
  stack.now.value = atMs + 1000;
  expect((await stack.post(body)).status).toBe(200);
};

beforeAll(async () => {
  stack = await startTestStack();
  today = stack.now.value;
  expect((await call('PUT', `/admin/accounts/whatsapp/${PHONE}`, { displayName: 'Shop WA', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin', wabaId: WABA })).status).toBe(200);
  ui = await launchConsole(stack.url);
});

afterAll(async () => {
  await ui?.close();
  await stack?.close();
});

describe('console subscribers', () => {
  it('shows a week of audience growth per day: new contacts, opt-ins, opt-outs and net, in a chart and a table', async () => {
    // New people per day, five days ago to today (Berlin days; noon UTC is the same day there).
    const newPerDay = [2, 0, 3, 1, 4, 2];
    for (const [d, n] of newPerDay.entries()) {
      const at = Date.UTC(2026, 4, 12 + d, 12);
      for (let i = 0; i < n; i += 1) await receive(messagesBody(SAMPLE_NUMBER, from({ waId: `49151000${d}${i}000`, id: `wamid.g-${d}-${i}`, atMs: at }, text('Hallo'))), at);
    }
    // On the 16th one person stops marketing in WhatsApp's settings, and two resume it.
    const at16 = Date.UTC(2026, 4, 16, 15);
    await receive(userPreferenceBody(SAMPLE_NUMBER, { waId: '4915100020000', value: 'stop', atMs: at16 }), at16);
    await receive(userPreferenceBody(SAMPLE_NUMBER, { waId: '4915100040000', value: 'resume', atMs: at16 }), at16);
    await receive(userPreferenceBody(SAMPLE_NUMBER, { waId: '4915100041000', value: 'resume', atMs: at16 }), at16);
    // New contacts are counted by automation's consumer, off its queue, as in AWS.
    await automationQueueDrained(stack.queues);
    stack.now.value = today;

    await ui.open('/subscribers');
    await ui.page.getByText('Choose an account to see its audience growth.').waitFor();
    await ui.page.getByLabel('Account').selectOption(`whatsapp/${PHONE}`);
    const table = ui.page.getByRole('table', { name: 'Audience growth per day' });
    await table.waitFor();
    // The API's default range: the week up to the stack's today, quiet days included as zeros.
    expect(await rowsOf(table)).toEqual([
      ['2026-05-11', '0', '0', '0', '0'],
      ['2026-05-12', '2', '0', '0', '0'],
      ['2026-05-13', '0', '0', '0', '0'],
      ['2026-05-14', '3', '0', '0', '0'],
      ['2026-05-15', '1', '0', '0', '0'],
      ['2026-05-16', '4', '2', '1', '1'],
      ['2026-05-17', '2', '0', '0', '0'],
    ]);
    const totals = ui.page.getByRole('list', { name: 'Totals' });
    await expect(totals.textContent()).resolves.toMatch(/New contacts12.*Opt-ins2marketing 2.*Opt-outs1.*Net1/);
    await ui.page.getByRole('img', { name: 'Audience growth per day' }).locator('canvas').waitFor();
    await ui.screenshot('subscribers-growth');

    // A narrower range: the two days with opt-ins and opt-outs around them.
    await ui.page.getByLabel('From', { exact: true }).fill('2026-05-15');
    await ui.page.getByLabel('To', { exact: true }).fill('2026-05-16');
    await ui.page.getByRole('button', { name: 'Show' }).click();
    await ui.page.getByText('2026-05-15 to 2026-05-16').waitFor();
    expect(await rowsOf(table)).toEqual([
      ['2026-05-15', '1', '0', '0', '0'],
      ['2026-05-16', '4', '2', '1', '1'],
    ]);
  });

  it('imports a CSV with one bad line: the dry run shows that line’s error and the sendable counts, then the import runs with progress and the contacts exist', async () => {
    const consent = 'express,checkout form,2026-03-01T09:30:00+01:00,"Yes, send me offers on WhatsApp",offers';
    const csv = [
      'channel,account,phone,first_name,tags,consent_basis,consent_source,consent_captured_at,consent_text,consent_topic',
      `whatsapp,${PHONE},+4915100000101,Anna,crm,${consent}`,
      `whatsapp,${PHONE},+49 77,Bad,crm,,,,,`,
      `whatsapp,${PHONE},+4915100000102,Ben,crm,,,,,`,
      `whatsapp,${PHONE},+4915100000103,Cleo,crm,${consent}`,
    ].join('\r\n');

    await ui.open('/subscribers/import');
    await ui.page.getByRole('heading', { name: 'Import contacts' }).waitFor();
    await ui.page.getByText('No imports in the last 30 days.').waitFor();
    await ui.page.getByLabel('CSV file').setInputFiles({ name: 'crm.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await ui.page.getByText('crm.csv: 4 rows in 1 part.').waitFor();
    const mapping = ui.page.getByRole('table', { name: 'Column mapping' });
    await expect(mapping.getByRole('row').count()).resolves.toBe(11);
    const importButton = ui.page.getByRole('button', { name: 'Import', exact: true });
    await expect(importButton.isDisabled()).resolves.toBe(true);

    await ui.page.getByRole('button', { name: 'Dry run' }).click();
    const report = ui.page.getByRole('region', { name: 'Dry run report' });
    await report.waitFor();
    await expect(report.getByRole('status').textContent()).resolves.toBe('Dry run of crm.csv: 4 rows read, nothing written. 1 error in 1 row.');
    const errors = await rowsOf(report.getByRole('table', { name: 'Errors by line' }));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.slice(0, 2)).toEqual(['3', 'phone']);
    const cells = (name: string) => rowsOf(report.getByRole('table', { name }));
    await expect(cells('Sendable by route')).resolves.toEqual([['WhatsApp template (whatsapp.template)', '2']]);
    await expect(cells('Not sendable, by reason')).resolves.toEqual([
      ['This contact only came from an import, without recorded consent to marketing: import their consent or ask them in the chat first. (no_marketing_consent)', '1'],
    ]);
    await expect(cells('Rows by outcome')).resolves.toContainEqual(['Would be created', '3']);
    // What "by name" became, read back from the stack: phone is whom the row is about.
    await expect(mapping.getByLabel('phone', { exact: true }).locator('option:checked').textContent()).resolves.toBe('By its name: Person id (PSID, IGSID, phone number)');
    await expect(call('GET', `/admin/contacts/whatsapp/${PHONE}/4915100000101`)).resolves.toMatchObject({ status: 404 });
    await ui.screenshot('subscribers-import');

    await expect(importButton.isEnabled()).resolves.toBe(true);
    // The person reads the dry run for a minute, then imports.
    stack.now.value += 60_000;
    await importButton.click();
    const summary = ui.page.getByRole('region', { name: 'Import summary' });
    await summary.waitFor();
    await expect(summary.getByRole('status').textContent()).resolves.toBe('Import of crm.csv: 4 rows read. 1 error in 1 row.');
    const progress = ui.page.getByRole('progressbar', { name: 'Import progress' });
    await expect(Promise.all([progress.getAttribute('value'), progress.getAttribute('max')])).resolves.toEqual(['4', '4']);

    const anna = await call('GET', `/admin/contacts/whatsapp/${PHONE}/4915100000101`);
    expect(anna.status).toBe(200);
    expect(JSON.stringify(anna.body)).toContain('Anna');
    await expect(call('GET', `/admin/contacts/whatsapp/${PHONE}/4915100000103`)).resolves.toMatchObject({ status: 200 });
    // The list reloads once the run ends: the dry run and the import.
    const past = ui.page.getByRole('table', { name: 'Past imports' });
    await past.locator('tbody tr').nth(1).waitFor();
    expect((await rowsOf(past)).map((row) => [row[0], row[2], row[3], row[4]])).toEqual([
      ['crm.csv', 'import', 'completed', '4'],
      ['crm.csv', 'dry run', 'completed', '4'],
    ]);
  });

  it('fits a phone’s width: wide tables scroll inside their box, the page never sideways', async () => {
    await ui.page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/subscribers', '/subscribers/import']) {
      await ui.open(path);
      await ui.page.getByRole('heading', { level: 1 }).waitFor();
      await ui.page.getByLabel(path === '/subscribers' ? 'Account' : 'Account for rows').selectOption(`whatsapp/${PHONE}`);
      await ui.page.getByRole('table').first().waitFor();
      await expect(ui.page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(375);
    }
    await ui.page.setViewportSize({ width: 1280, height: 900 });
  });
});
