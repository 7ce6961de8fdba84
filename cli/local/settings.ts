import { resolve } from 'node:path';
import { DEFAULT_LOCAL_PORT } from '../client/target';
import { DEFAULT_APP_SECRET, DEFAULT_VERIFY_TOKEN } from './local-defaults';

export interface LocalSettings {
  port: number;
  appSecret: string;
  verifyToken: string;
  /** leveldb folder; absent: in memory, lost on exit. */
  dataDir?: string;
}

/** PORT, META_APP_SECRET, META_VERIFY_TOKEN and DATA_DIR, as README "Local stack" lists them. */
export const localSettings = (env: Readonly<Record<string, string | undefined>>, cwd: string, options: { memory: boolean; port?: number }): LocalSettings => ({
  port: options.port ?? Number(env.PORT ?? DEFAULT_LOCAL_PORT),
  appSecret: env.META_APP_SECRET ?? DEFAULT_APP_SECRET,
  verifyToken: env.META_VERIFY_TOKEN ?? DEFAULT_VERIFY_TOKEN,
  ...(options.memory ? {} : { dataDir: resolve(cwd, env.DATA_DIR ?? '.local-data/dynamodb') }),
});
