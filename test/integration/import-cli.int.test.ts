/**
 * Interface under test: `afterchat import events/admin/import-contacts.csv` against the local stack,
 * through the admin API's import routes and the import worker on its queue to the state table
 * (issue 14, item 1): the dry run names exactly the sample's two bad lines and writes nothing, the
 * real run creates the good rows' contacts with their profile and consent, and the same file again
 * changes nothing.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAfterchat } from '../helpers/cli-run';
import { startTestStack, type TestStack } from '../helpers/local-stack';

const SAMPLE = 'events/admin/import-contacts.csv';
const PHONE = '109876543210987';
/** The sample's good rows: 10 of its 12. */
const GOOD = 10;

let stack: TestStack;
let afterchat: (args: string[]) => ReturnType<typeof runAfterchat>;

/** The contacts' items: everything but the import's own bookkeeping (job, chunks, errors, row outcomes) and the audit log. */
const contactItems = async () =>
  (await stack.dump()).filter((item) => !/^(IMPORT|IMPORTS|AUDIT)/.test(String(item.pk)) && !(typeof item.gsi2sk === 'string' && item.gsi2sk.startsWith('IMPORT#')));

/** The error table's rows under the summary: `line  column  reason`. */
const errorRows = (stdout: string): [string, string][] =>
  stdout
    .slice(stdout.indexOf('line  column'))
    .split('\n')
    .slice(1)
    .map((row) => /^(\d+) +(\S+) +/.exec(row))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] as string, match[2] as string]);

beforeAll(async () => {
  stack = await startTestStack();
  afterchat = (args) => runAfterchat(args, { env: { AFTERCHAT_URL: stack.url } });
  expect((await afterchat(['accounts', 'apply', 'events/admin/accounts.json'])).code).toBe(0);
});

afterAll(() => stack.close());

describe('afterchat import', () => {
  it('dry run: reports errors at exactly the bad lines, counts the rest as would-be-created, and writes no contact', async () => {
    const before = await contactItems();
    const dir = mkdtempSync(join(tmpdir(), 'afterchat-import-'));

    const { code, stdout, stderr } = await afterchat(['import', SAMPLE, '--dry-run', '--errors-file', join(dir, 'errors.csv')]);

    expect(stderr).toMatch(/uploaded events\/admin\/import-contacts\.csv: 1 chunk, 2 KiB; import \S+ \(dry run\)/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dry run of import-contacts\.csv \(\S+\): 12 rows read, nothing written$/m);
    expect(stdout).toMatch(/^consent_text +consent\.textShown$/m);
    expect(stdout).toMatch(/^would be created +10$/m);
    expect(stdout).toMatch(/^failed +2$/m);
    expect(stdout).toContain('3 errors in 2 rows:');
    expect(errorRows(stdout)).toEqual([
      ['10', 'user_id'],
      ['11', 'consent_captured_at'],
      ['11', 'country'],
    ]);
    expect(readFileSync(join(dir, 'errors.csv'), 'utf8').split('\n').map((line) => line.split(',')[0])).toEqual(['line', '10', '11', '11', '']);
    expect(await contactItems()).toEqual(before);
  });

  it('real run: creates the good rows’ contacts with their profile and consent, the multi-line consent text whole', async () => {
    const { code, stdout } = await afterchat(['import', SAMPLE]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^imported import-contacts\.csv \(\S+\): 12 rows$/m);
    expect(stdout).toMatch(/^created +10$/m);
    expect(stdout).toMatch(/^failed +2$/m);
    const sanne = await afterchat(['contacts', 'show', 'whatsapp', PHONE, '31612345678', '--json']);
    expect(sanne.code).toBe(0);
    expect(JSON.parse(sanne.stdout)).toMatchObject({
      profile: { tags: ['newsletter'], attributes: { firstName: 'Sanne', lastName: 'de Vries', locale: 'nl', customer_no: 'C-1003' }, timeZone: 'Europe/Amsterdam', country: 'NL' },
      consents: [{ topic: 'marketing', source: 'import', basis: 'express', textShown: 'Ja, stuur mij aanbiedingen via WhatsApp.\nAfmelden kan altijd: stuur STOP.' }],
    });
  });

  it('the same file again changes nothing: every good row unchanged, the contacts’ items as they were', async () => {
    const before = await contactItems();

    const { code, stdout } = await afterchat(['import', SAMPLE, '--json']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'completed', dryRun: false, rows: { total: 12, processed: 12 }, counts: { rows: 12, created: 0, updated: 0, unchanged: GOOD, failed: 2, errors: 3 } });
    expect(await contactItems()).toEqual(before);
  });
});
