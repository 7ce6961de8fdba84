import { errorJson, json } from '../http/responses';
import { createImport } from '../import/create-import';
import { importJobView } from '../import/import-view';
import { putChunk } from '../import/put-chunk';
import { startImport } from '../import/start-import';
import { InvalidPageCursor } from '../ports/page-cursor';
import type { AdminRouteImpls, Handler } from './route-handler';

const NOT_CONFIGURED = 'imports are not configured for this admin API';

/** 404 naming the import, in one wording for every route. */
const unknownImport = (importId: string) => errorJson(404, 'import not found', { importId });

/** `problems`: every reason the mapping can't work, at once (a person fixes them in one go). */
const createImportRoute: Handler<'POST /admin/imports'> = async (deps, { body }) => {
  if (!deps.imports) return errorJson(503, NOT_CONFIGURED);
  const created = await createImport({ jobs: deps.imports.jobs, clock: deps.clock }, body);
  if (!created.ok) return json(400, { error: 'the column mapping can’t work', problems: created.problems });
  return { status: 201, body: importJobView(created.job) };
};

const putChunkRoute: Handler<'PUT /admin/imports/{importId}/chunks/{seq}'> = async (deps, { path: { importId, seq }, body }) => {
  if (!deps.imports) return errorJson(503, NOT_CONFIGURED);
  const result = await putChunk({ jobs: deps.imports.jobs }, { importId, seq, ...body });
  if (result.ok) return { status: 200, body: { importId, seq, records: result.records, bytes: result.bytes, stored: result.stored } };
  switch (result.error) {
    case 'not_found':
      return unknownImport(importId);
    case 'too_large':
      return errorJson(400, 'chunk over 1 MiB', { bytes: result.bytes });
    case 'unparseable':
      return json(400, { error: 'chunk is not valid CSV', line: result.line, reason: result.reason });
    case 'conflict':
      return errorJson(409, 'this chunk number holds other text', { importId, seq });
    case 'not_uploading':
      return json(409, { error: 'the import was started: its chunks are fixed', status: result.status });
  }
};

/** 202: the worker does the rest, slice by slice; the answer is the job as it stands. */
const startImportRoute: Handler<'POST /admin/imports/{importId}/start'> = async (deps, { path: { importId }, body: { chunks } }) => {
  if (!deps.imports) return errorJson(503, NOT_CONFIGURED);
  const result = await startImport({ jobs: deps.imports.jobs, queue: deps.imports.queue, clock: deps.clock }, importId, chunks);
  if (result.ok) return { status: 202, body: importJobView(result.job) };
  switch (result.error) {
    case 'not_found':
      return unknownImport(importId);
    case 'chunks_mismatch':
      return json(409, { error: 'the uploaded chunks are not 0 to chunks − 1', missing: result.missing, beyond: result.beyond });
    case 'lines_overlap':
      return json(409, { error: 'these chunks start on a line the chunk before them holds: each chunk’s firstLine must follow the lines before it', seqs: result.seqs });
    case 'already_started':
      return json(409, { error: 'the import was started with another chunk count', chunks: result.chunks ?? null });
  }
};

const getImportRoute: Handler<'GET /admin/imports/{importId}'> = async (deps, { path: { importId } }) => {
  if (!deps.imports) return errorJson(503, NOT_CONFIGURED);
  const job = await deps.imports.jobs.get(importId);
  return job ? { status: 200, body: importJobView(job) } : unknownImport(importId);
};

const listImportErrorsRoute: Handler<'GET /admin/imports/{importId}/errors'> = async (deps, { path: { importId }, query: { limit, cursor } }) => {
  if (!deps.imports) return errorJson(503, NOT_CONFIGURED);
  const { jobs } = deps.imports;
  if (!(await jobs.get(importId))) return unknownImport(importId);
  return paged(() => jobs.listErrors(importId, cursor, limit), (page) => ({ importId, errors: page.errors }));
};

const listImportsRoute: Handler<'GET /admin/imports'> = async (deps, { query: { limit, cursor } }) => {
  if (!deps.imports) return errorJson(503, NOT_CONFIGURED);
  const { jobs } = deps.imports;
  return paged(() => jobs.list(cursor, limit), (page) => ({ imports: page.jobs.map(importJobView) }));
};

/** A page with its `cursor` while more follow; a cursor the list never gave answers 400. */
const paged = async <P extends { cursor?: string }, B>(read: () => Promise<P>, bodyOf: (page: P) => B) => {
  let page: P;
  try {
    page = await read();
  } catch (error) {
    if (error instanceof InvalidPageCursor) return errorJson(400, error.message);
    throw error;
  }
  return { status: 200 as const, body: { ...bodyOf(page), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) } };
};

export const importRoutes = {
  'POST /admin/imports': { handle: createImportRoute },
  'PUT /admin/imports/{importId}/chunks/{seq}': { handle: putChunkRoute },
  'POST /admin/imports/{importId}/start': { handle: startImportRoute },
  'GET /admin/imports/{importId}': { handle: getImportRoute },
  'GET /admin/imports/{importId}/errors': { handle: listImportErrorsRoute },
  'GET /admin/imports': { handle: listImportsRoute },
} satisfies Partial<AdminRouteImpls>;
