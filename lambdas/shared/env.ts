import * as z from 'zod';

/** Handlers read the environment once, through these schemas; nothing else reads process.env. */
export const WebhookEnv = z.object({
  TABLE_NAME: z.string().min(1),
  APP_SECRET_ID: z.string().min(1),
  VERIFY_TOKEN_SECRET_ID: z.string().min(1),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(4 * 1024 * 1024),
  DDB_ENDPOINT: z.string().url().optional(),
});

export const AdminEnv = z.object({
  TABLE_NAME: z.string().min(1),
  DDB_ENDPOINT: z.string().url().optional(),
});
