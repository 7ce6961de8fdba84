/**
 * Runs a CSV import over the admin API, as the CLI does (the CLI's own chunker), and waits for the
 * local stack's import worker to complete it.
 */
import { Readable } from 'node:stream';
import { openCsvChunks } from '../../cli/import/csv-chunks';

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

export interface CompletedImport {
  importId: string;
  chunks: number;
  job: { counts: Record<string, unknown> } & Record<string, unknown>;
}

export const runImport = async (call: Call, csv: string, options: Record<string, unknown> = {}, maxChunkBytes?: number): Promise<CompletedImport> => {
  const { header, chunks } = await openCsvChunks(Readable.from([csv]), { delimiter: ',', ...(maxChunkBytes === undefined ? {} : { maxChunkBytes }) });
  const created = await call('POST', '/admin/imports', { header, ...options });
  if (created.status !== 201) throw new Error(`POST /admin/imports answered ${created.status}: ${JSON.stringify(created.body)}`);
  const importId = created.body.importId as string;
  let count = 0;
  for await (const chunk of chunks) {
    const put = await call('PUT', `/admin/imports/${importId}/chunks/${chunk.seq}`, { firstLine: chunk.firstLine, csv: chunk.csv });
    if (put.status !== 200) throw new Error(`chunk ${chunk.seq} answered ${put.status}: ${JSON.stringify(put.body)}`);
    count += 1;
  }
  const started = await call('POST', `/admin/imports/${importId}/start`, { chunks: count });
  if (started.status !== 202) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
  const deadline = Date.now() + 240_000;
  for (;;) {
    const job = (await call('GET', `/admin/imports/${importId}`)).body;
    if (job.status === 'completed') return { importId, chunks: count, job: job as CompletedImport['job'] };
    if (Date.now() > deadline) throw new Error(`import not completed: ${JSON.stringify(job).slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
