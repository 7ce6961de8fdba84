/**
 * The CSV import's requests (README "Importing contacts"): the job's settings as `POST /admin/imports`
 * takes them, and one uploaded chunk. Each value is held to what it may be here; whether the mapping
 * works for this header (each cell named once, a user id column, a channel for every row) is the
 * domain's call (domain/import/column-mapping.ts), answered as `problems`. Pure.
 */
import * as z from 'zod';
import { FIXED_TARGETS, targetIssue } from '../domain/import/column-mapping';
import { type ColumnTarget, IMPORT_PURPOSES, type ProtectableField } from '../domain/import/import-job';
import { ChannelSchema } from './account';
import { accountIdIssue, idIssue } from './ids';
import { attributeNameIssue, LONE_SURROGATE, RESERVED_KEYS, userKeyedRecord } from './user-keys';

/**
 * A chunk's CSV text, in UTF-8 bytes: three DynamoDB items at most, and a Lambda event below its 6 MB
 * though the body is JSON-escaped twice (4 MiB when every byte is a quote).
 */
export const MAX_CHUNK_BYTES = 1024 * 1024;
export const MAX_HEADER_CELLS = 200;
/** Chunk numbers are 0–9999: at 1 MiB each, a 10 GB file. */
export const MAX_CHUNKS = 10_000;
/** Error and row keys spell the line in 9 digits. */
export const MAX_LINE = 999_999_999;

const HEADER_CELL_MAX = 200;

const FIXED_PROTECTABLE = ['tags', 'attributes', 'timeZone', 'country', 'consent'] as const satisfies readonly ProtectableField[];

const ATTRIBUTE = 'attribute:';

const protectableIssue = (field: string): string | undefined => {
  if ((FIXED_PROTECTABLE as readonly string[]).includes(field)) return undefined;
  if (!field.startsWith(ATTRIBUTE)) return `one of ${FIXED_PROTECTABLE.join(', ')} or attribute:<name>`;
  const issue = attributeNameIssue(field.slice(ATTRIBUTE.length));
  return issue === undefined ? undefined : `attribute name ${issue}`;
};

/** A string held to `issueOf`, typed as what it then is. */
const checkedString = <T extends string>(issueOf: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const issue = issueOf(value);
    if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue });
  }) as unknown as z.ZodType<T, string>;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A header cell names a column, and keys the mapping (stored as a map): not empty (a spreadsheet's
 * unnamed column must be named to be mapped, even to `ignore`), no reserved key, no control character,
 * nothing UTF-8 can't spell.
 */
const headerCellIssue = (cell: string): string | undefined => {
  if (cell.length === 0) return 'must not be empty: name the column (map it to ignore to drop it)';
  if (cell.length > HEADER_CELL_MAX) return `at most ${HEADER_CELL_MAX} characters (got ${cell.length})`;
  if (RESERVED_KEYS.includes(cell)) return `${cell} is reserved: ${RESERVED_KEYS.join(', ')} can't name a column`;
  if (CONTROL.test(cell)) return 'no control characters';
  if (LONE_SURROGATE.test(cell)) return 'well-formed Unicode (no lone surrogates)';
  return undefined;
};

const ColumnTargetSchema = checkedString<ColumnTarget>(targetIssue).meta({
  description: `${FIXED_TARGETS.join(', ')}, or attribute:<name> (attribute:firstName, attribute:locale, …)`,
  example: 'attribute:firstName',
});

const ProtectableFieldSchema = checkedString<ProtectableField>(protectableIssue).meta({
  description: `${FIXED_PROTECTABLE.join(', ')}, or attribute:<name>: a stored value is kept, the row's only fills an empty one`,
  example: 'attribute:firstName',
});

const HeaderSchema = z
  .array(checkedString<string>(headerCellIssue))
  .min(1)
  .max(MAX_HEADER_CELLS);

const DefaultsSchema = z
  .object({
    channel: ChannelSchema.optional().meta({ description: 'For rows without a channel column (or an empty cell)' }),
    accountId: z.string().optional().meta({ description: 'For rows without an account column (or an empty cell): a Page id, Instagram account id or WhatsApp phone_number_id' }),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.accountId === undefined) return;
    const issue = value.channel === undefined ? idIssue(value.accountId, 'metaId') : accountIdIssue(value.channel, value.accountId);
    if (issue !== undefined) ctx.addIssue({ code: 'custom', message: issue, path: ['accountId'] });
  });

/** `POST /admin/imports`: a new import job's settings. The header is the file's first line, as parsed. */
export const ImportRequestSchema = z
  .object({
    header: HeaderSchema.meta({ description: 'The CSV file’s header row, cell by cell (1–200 cells)' }),
    mapping: userKeyedRecord(ColumnTargetSchema, { keyIssue: headerCellIssue, maxEntries: MAX_HEADER_CELLS, tooMany: `at most ${MAX_HEADER_CELLS} columns` })
      .optional()
      .meta({ description: 'Header cell → target, overriding the automatic mapping by header name (a header it doesn’t know becomes an attribute of that name)' }),
    purpose: z.enum(IMPORT_PURPOSES).default('add_and_update').meta({ description: 'add_new: only contacts not stored yet; update_existing: only stored ones; add_and_update: both' }),
    doNotOverwrite: z
      .array(ProtectableFieldSchema)
      .max(MAX_HEADER_CELLS)
      .refine((fields) => new Set(fields).size === fields.length, 'names a field twice')
      .default([]),
    dryRun: z.boolean().default(false).meta({ description: 'Count and report only: nothing is written to any contact' }),
    defaults: DefaultsSchema.default({}),
    delimiter: z.enum([',', ';', '\t']).default(',').meta({ description: 'The cell separator: comma, semicolon or tab' }),
    restoreErased: z.boolean().default(false).meta({ description: 'Import people an erasure left a tombstone for; otherwise their rows are skipped (`erased`)' }),
    name: z.string().trim().min(1).max(200).optional().meta({ description: 'The file’s name, for people reading the job list' }),
  })
  .strict()
  .meta({ id: 'ImportRequest' });

export type ImportRequest = z.output<typeof ImportRequestSchema>;

/** `PUT /admin/imports/{importId}/chunks/{seq}`: whole CSV records, no header. */
export const ImportChunkSchema = z
  .object({
    firstLine: z.number().int().min(2).max(MAX_LINE).meta({ description: 'The file’s line number of the chunk’s first record (the header is line 1)' }),
    csv: z
      .string()
      .min(1)
      .superRefine((csv, ctx) => {
        // Characters bound the bytes from below only: count the UTF-8 bytes when they could be over.
        if (csv.length * 3 <= MAX_CHUNK_BYTES) return;
        const bytes = Buffer.byteLength(csv, 'utf8');
        if (bytes > MAX_CHUNK_BYTES) ctx.addIssue({ code: 'custom', message: `chunk over 1 MiB: at most ${MAX_CHUNK_BYTES} bytes as UTF-8 (got ${bytes})` });
      })
      .meta({ description: 'Whole CSV records, each ended by a line break (the last one may not be), at most 1 MiB as UTF-8' }),
  })
  .strict();

export type ImportChunkBody = z.output<typeof ImportChunkSchema>;
