/**
 * `npm run send-event -- <file.json>... [--url URL] [--now]`: signs each webhook body with
 * META_APP_SECRET (as Meta does: HMAC-SHA256 of the exact bytes) and POSTs it to the local stack.
 * `--now` moves every `timestamp`/`time` field to the current time, keeping seconds vs milliseconds,
 * so the samples open windows that are still open.
 */
import { readFileSync } from 'node:fs';
import { signBody } from '../lambdas/webhook/signature';
import { DEFAULT_APP_SECRET } from './local-defaults';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const url = flag('--url') ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/webhooks/meta`;
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--url');
const secret = process.env.META_APP_SECRET ?? DEFAULT_APP_SECRET;

const shiftTimes = (value: unknown, nowMs: number): unknown => {
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, nowMs));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if ((key === 'timestamp' || key === 'time') && (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))) {
        const seconds = Number(v) < 1e11;
        const shifted = seconds ? Math.floor(nowMs / 1000) : nowMs;
        return [key, typeof v === 'string' ? String(shifted) : shifted];
      }
      return [key, shiftTimes(v, nowMs)];
    }),
  );
};

const main = async (): Promise<void> => {
  if (files.length === 0) {
    console.error('usage: npm run send-event -- <events/meta/...json>... [--url URL] [--now]');
    process.exit(2);
  }
  let failed = 0;
  for (const file of files) {
    let body = readFileSync(file, 'utf8');
    if (args.includes('--now')) body = JSON.stringify(shiftTimes(JSON.parse(body), Date.now()));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, secret) },
      body,
    });
    const text = await response.text();
    console.log(`${response.status} ${file} ${text}`);
    if (!response.ok) failed += 1;
  }
  process.exit(failed > 0 ? 1 : 0);
};

main().catch((error: unknown) => {
  console.error(`could not post to ${url}:`, error instanceof Error ? error.message : error);
  process.exit(1);
});
