import type { ImportSlice } from '../schemas/import-slice';

/** Where an import's next slice waits for the worker: one message at a time per import. */
export interface ImportQueue {
  send(slice: ImportSlice): Promise<void>;
}
