import { type Command, InvalidArgumentError, Option } from 'commander';
import { IMPORT_PURPOSES } from '../../lambdas/domain/import/import-job';
import type { Channel } from '../client/afterchat-client';
import type { CliContext } from '../context';
import type { CsvDelimiter } from '../import/csv-chunks';
import { printImportSummary, readImportErrors } from '../import/import-report';
import { type ImportRequest, runImport } from '../import/run-import';
import { collect, examples, pairs, sessionOf } from '../session';

interface ImportOptions {
  dryRun?: boolean;
  purpose: ImportRequest['purpose'];
  map?: string[];
  doNotOverwrite?: string[];
  channel?: Channel;
  account?: string;
  delimiter: CsvDelimiter;
  restoreErased?: boolean;
  errorsFile?: string;
  timeout: number;
}

const DELIMITERS: Readonly<Record<string, CsvDelimiter>> = { ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\t': '\t' };

const delimiterOf = (value: string): CsvDelimiter => {
  const delimiter = DELIMITERS[value];
  if (delimiter === undefined) throw new InvalidArgumentError('expected , ; or tab.');
  return delimiter;
};

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of seconds ≥ 1.');
  return n;
};

export const registerImport = (program: Command, ctx: CliContext): void => {
  const command = program
    .command('import')
    .description('import a CRM list from a CSV file (contacts, tags, attributes, consent): uploads it in chunks, then follows the import to its summary')
    .argument('<file.csv>', 'the CSV file: a header line, then a contact per row (events/admin/import-contacts.csv shows every column)')
    .option('--dry-run', 'check every row and count what a real run would do, and who would be sendable: nothing is written')
    .addOption(new Option('--purpose <purpose>', 'add_new: only contacts not stored yet; update_existing: only stored ones; add_and_update: both').choices(IMPORT_PURPOSES).default('add_and_update'))
    .option('--map <header=target>', 'map a column by hand, e.g. "Customer No=attribute:customerNo" or "Notes=ignore" (repeatable)', collect)
    .option('--do-not-overwrite <field>', 'keep a stored value, only fill an empty one: tags, attributes, timeZone, country, consent or attribute:<name> (repeatable)', collect)
    .addOption(new Option('--channel <channel>', 'the channel of rows without a channel column').choices(['messenger', 'instagram', 'whatsapp']))
    .option('--account <accountId>', 'the account of rows without an account column: Page, Instagram account or WhatsApp phone_number_id')
    .option('--delimiter <delimiter>', 'the cell separator: , ; or tab', delimiterOf, ',' as CsvDelimiter)
    .option('--restore-erased', 'import people an erasure left a tombstone for (otherwise their rows are skipped)')
    .option('--errors-file <path>', 'write every per-line error there as CSV line,column,reason (created or replaced)')
    .option('--timeout <seconds>', 'stop following the import after this long (it goes on in the stack)', seconds, 3600)
    .action(async (file: string, options: ImportOptions, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const { job } = await runImport(ctx, client, {
        file,
        timeoutMs: options.timeout * 1000,
        request: {
          purpose: options.purpose,
          dryRun: options.dryRun === true,
          restoreErased: options.restoreErased === true,
          delimiter: options.delimiter,
          ...(options.map === undefined ? {} : { mapping: Object.fromEntries(pairs(options.map, '--map')) }),
          doNotOverwrite: options.doNotOverwrite ?? [],
          defaults: { ...(options.channel === undefined ? {} : { channel: options.channel }), ...(options.account === undefined ? {} : { accountId: options.account }) },
        },
      });
      // The first errors are for the summary; --json prints the job alone.
      const printed = !out.json && job.counts.errors > 0;
      const errors = printed || options.errorsFile !== undefined ? await readImportErrors(ctx, client, job.importId, options.errorsFile) : { shown: [] };
      out.result(job, () => printImportSummary(out, job, errors, options.errorsFile));
    });
  examples(command, [
    'npx afterchat import events/admin/import-contacts.csv --dry-run',
    'npx afterchat import customers.csv --channel whatsapp --account 109876543210987 --map "Customer No=attribute:customerNo" --do-not-overwrite attribute:firstName',
    'npx afterchat import customers.csv --purpose update_existing --errors-file errors.csv --json',
  ]);
};
