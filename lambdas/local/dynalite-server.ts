import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface RunningDynalite {
  endpoint: string;
  close(): Promise<void>;
}

/** In-process DynamoDB emulator on loopback; `path` keeps data on disk (leveldb), otherwise in memory. */
export const startDynalite = async (options: { path?: string; port?: number } = {}): Promise<RunningDynalite> => {
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
