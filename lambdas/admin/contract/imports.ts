import * as z from 'zod';
import { IMPORT_PURPOSES, SENDABLE_BUCKETS } from '../../domain/import/import-job';
import { ChannelSchema } from '../../schemas/account';
import { ImportChunkSchema, ImportRequestSchema, MAX_CHUNKS } from '../../schemas/import-request';
import { cursor, limit, nextCursor } from './params';
import type { RouteTable } from './route-contract';
import { Time } from './times';

const count = z.number().int().min(0);

/** A UUID, as `POST /admin/imports` answered it. */
const ImportPath = z.object({
  importId: z
    .string()
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an import id: a lowercase UUID, as POST /admin/imports answered it')
    .meta({ description: 'As `POST /admin/imports` answered it', example: '0f8a2c34-5d6e-4f70-8a9b-0c1d2e3f4a5b' }),
});

const SEQ = `an integer from 0 to ${MAX_CHUNKS - 1}, without leading zeros`;

const ChunkPath = ImportPath.extend({
  seq: z
    .string()
    .regex(/^(?:0|[1-9]\d{0,3})$/, SEQ)
    .transform(Number)
    .meta({ description: `The chunk’s number, 0–${MAX_CHUNKS - 1}: the file’s order` }),
});

const ImportCounts = z
  .object({
    rows: count.meta({ description: 'Rows processed' }),
    created: count,
    updated: count,
    unchanged: count.meta({ description: 'Rows that would change nothing (the same file imported again: all of them)' }),
    skipped: z.partialRecord(z.enum(['exists', 'not_found', 'erased']), count).meta({
      description: 'Rows the purpose or an erasure left alone: `exists` (add_new), `not_found` (update_existing), `erased` (a tombstone names the person)',
    }),
    failed: count.meta({ description: 'Rows with at least one error: none of their values was written' }),
    errors: count.meta({ description: 'Error entries (`GET …/errors`); a row may have several' }),
    sendable: z.object(Object.fromEntries(SENDABLE_BUCKETS.map((bucket) => [bucket, count])) as Record<(typeof SENDABLE_BUCKETS)[number], typeof count>).meta({
      description: 'Rows whose contact could receive a marketing message now, by the policy engine: a WhatsApp MARKETING template, a Messenger marketing message, or neither',
    }),
    sendableByRoute: z.record(z.string(), count).meta({ description: 'The sendable rows by the policy engine’s route (`whatsapp.template`, `messenger.marketing_message`, …)' }),
    notSendable: z.record(z.string(), count).meta({ description: 'The rows in `none` by the policy engine’s reason (`no_marketing_consent`, `no_active_opt_in`, …)' }),
  })
  .meta({ id: 'ImportCounts' });

const progress = (what: string) =>
  z.object({
    total: count.nullable().meta({ description: `${what} in all: null until the import is started` }),
    processed: count,
  });

const ImportJobView = z
  .object({
    importId: z.string(),
    name: z.string().optional(),
    status: z.enum(['uploading', 'queued', 'running', 'completed']).meta({
      description: '`uploading` until `…/start`; `queued` until the worker takes the first slice; `running`; `completed`',
    }),
    dryRun: z.boolean(),
    purpose: z.enum(IMPORT_PURPOSES),
    doNotOverwrite: z.array(z.string()),
    restoreErased: z.boolean(),
    delimiter: z.enum([',', ';', '\t']),
    defaults: z.object({ channel: ChannelSchema.optional(), accountId: z.string().optional() }),
    header: z.array(z.string()),
    mapping: z.record(z.string(), z.string()).meta({ description: 'Every header cell → its target, as the import applies it: by name, then the request’s overrides' }),
    ignored: z.array(z.string()).meta({ description: 'The header cells mapped to `ignore`' }),
    createdAt: Time,
    startedAt: Time.optional(),
    completedAt: Time.optional(),
    chunks: progress('Chunks'),
    rows: progress('Rows'),
    counts: ImportCounts,
  })
  .meta({ id: 'ImportJob' });

const LineError = z.object({
  line: z.number().int().min(2).meta({ description: 'The file’s line number (the header is line 1)' }),
  column: z.string().meta({ description: 'The header cell; empty when the error is the row’s as a whole (a wrong number of cells)' }),
  reason: z.string().meta({ description: 'What is wrong; never the value' }),
});

const ChunkStored = z.object({
  importId: z.string(),
  seq: count,
  records: count.meta({ description: 'CSV records the chunk holds' }),
  bytes: count.meta({ description: 'The chunk’s size, UTF-8' }),
  stored: z.enum(['stored', 'same']).meta({ description: '`same`: this seq already held exactly this text (an upload retried)' }),
});

export const importContract = {
  'POST /admin/imports': {
    operationId: 'createImport',
    summary: 'Creates a CSV import job: its header, column mapping, purpose and options',
    description:
      'Each header cell is mapped by its name (`phone`, `psid`, `first_name`, `tags`, `consent_topic`, …; an unknown name becomes an attribute of that name), then by `mapping`. The mapping must find whom each row is about: a `userId` column, and a channel and account as columns or `defaults`. Then upload the rows (`PUT …/chunks/{seq}`) and start it (`POST …/start`).',
    body: { name: 'import', schema: ImportRequestSchema },
    responses: { 201: ImportJobView },
    errors: { 400: 'the mapping can’t work for this header: `problems` lists why (each cell named once, a userId column, a channel and account for every row)', 503: 'imports are not configured' },
  },
  'PUT /admin/imports/{importId}/chunks/{seq}': {
    operationId: 'putImportChunk',
    summary: 'Uploads one chunk of the file’s rows: whole CSV records, at most 1 MiB',
    description:
      'Chunks are numbered from 0 in the file’s order; `firstLine` is the file’s line number of the chunk’s first record. The same chunk again answers `stored: same` (a retried upload); other text under a stored seq is refused. API Gateway takes 10 MB and Lambda 6 MB: 1 MiB of CSV fits either, JSON-escaped.',
    path: ChunkPath,
    body: { name: 'chunk', schema: ImportChunkSchema },
    responses: { 200: ChunkStored },
    errors: {
      400: '`chunk is not valid CSV`: `line` and `reason` say where (a quoted cell never closed)',
      404: 'import not found',
      409: 'this seq holds other text, or the import was started (`status`)',
      503: 'imports are not configured',
    },
  },
  'POST /admin/imports/{importId}/start': {
    operationId: 'startImport',
    summary: 'Starts processing an uploaded import: a queue-driven worker reads its chunks slice by slice',
    description:
      '`chunks` is how many were uploaded (seq 0 to chunks − 1), each of which must be stored. Starting again with the same count answers the job as it stands (202); with another count, 409. Follow the job with `GET /admin/imports/{importId}`.',
    path: ImportPath,
    body: { name: 'start', schema: z.object({ chunks: z.number().int().min(1).max(MAX_CHUNKS).meta({ description: 'How many chunks were uploaded' }) }).strict() },
    responses: { 202: ImportJobView },
    errors: {
      404: 'import not found',
      409: 'the stored chunks are not exactly 0 to chunks − 1 (`missing` and `beyond` list the seqs), a chunk starts on a line the chunk before it holds (`seqs`), or the import was started with another chunk count (`chunks`)',
      503: 'imports are not configured',
    },
  },
  'GET /admin/imports/{importId}': {
    operationId: 'getImport',
    summary: 'An import job: its settings, progress and counts (a dry run’s report)',
    path: ImportPath,
    responses: { 200: ImportJobView },
    errors: { 404: 'import not found', 503: 'imports are not configured' },
  },
  'GET /admin/imports/{importId}/errors': {
    operationId: 'listImportErrors',
    summary: 'An import’s per-line errors, by line, paged',
    path: ImportPath,
    query: z.object({ limit: limit(100), cursor }),
    responses: { 200: z.object({ importId: z.string(), errors: z.array(LineError), cursor: nextCursor }) },
    errors: { 400: 'the cursor is not one this list gave', 404: 'import not found', 503: 'imports are not configured' },
  },
  'GET /admin/imports': {
    operationId: 'listImports',
    summary: 'Import jobs, the most recent first, paged (each kept 30 days)',
    query: z.object({ limit: limit(20), cursor }),
    responses: { 200: z.object({ imports: z.array(ImportJobView), cursor: nextCursor }) },
    errors: { 400: 'the cursor is not one this list gave', 503: 'imports are not configured' },
  },
} as const satisfies RouteTable;
