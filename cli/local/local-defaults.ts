/** Local-only secrets, printed at start; never used in AWS, where Secrets Manager holds the real ones. */
export const DEFAULT_APP_SECRET = 'local-app-secret';
export const DEFAULT_VERIFY_TOKEN = 'local-verify-token';
