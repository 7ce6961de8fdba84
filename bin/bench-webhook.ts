/**
 * `npm run bench:webhook`: prints
 *  1. events/s through the webhook handler on one core: signature check + JSON parse + zod
 *     normalisation + state-write planning, with storage replaced by a no-op (the same handler code),
 *     for bodies of one event and for bodies of 50 (Meta batches up to 1,000 under load);
 *  2. the webhook bundle's minified size, built with the options lib/constructs/node-function.ts uses;
 *  3. the bundle's module init time (cold `import` in a fresh Node process, median of 15), with and
 *     without the time to load the AWS SDK modules the Lambda runtime provides.
 * With `--max-body [--json]`, instead: the time for a body of Meta's maximum size and event count
 * (bin/bench-webhook-max-body.ts). With `--hand-off [--sqs-ms N] [--json]`: what the hand-off to
 * automation adds to the answer (bin/bench-webhook-hand-off.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { build } from 'esbuild';
import { InMemoryQuarantine } from '../lambdas/adapters/memory/quarantine';
import { benchMaxBody, printMaxBody } from './bench-webhook-max-body';
import { benchHandOff, printHandOff } from './bench-webhook-hand-off';
import { StaticWebhookSecrets } from '../lambdas/adapters/secrets/static-webhook-secrets';
import { normaliseWebhookBody } from '../lambdas/normalise/webhook-body';
import type { StateStore } from '../lambdas/ports/state-store';
import { createWebhookHandler } from '../lambdas/webhook/receive-webhook';
import { signBody } from '../lambdas/webhook/signature';
import { httpEvent } from '../test/helpers/api-gateway-event';
import { explode } from '../test/helpers/explode';
import { listEvents, loadEvent } from '../test/helpers/events';

const ROOT = join(__dirname, '..');
const SECRET = 'bench-secret';
const ROUNDS = 7;
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1000);

const noopStore: StateStore = {
  apply: () => Promise.resolve(),
  knownEvents: () => Promise.resolve(new Set()),
  recordEvents: () => Promise.resolve(),
  getPerson: () => Promise.resolve(undefined),
  getPeople: (contacts) => Promise.resolve(contacts.map(() => undefined)),
  getMessage: () => Promise.resolve(undefined),
  listTemplates: () => Promise.resolve([]),
  getAccountPolicy: () => Promise.resolve(undefined),
};

/** Every sample event as its own body, or packed `perBody` to a body as Meta batches under load. */
const bodies = (perBody: number): string[] => {
  const singles = listEvents('meta').flatMap((p) => explode(loadEvent(p)));
  const byObject = new Map<unknown, Record<string, unknown>[]>();
  for (const single of singles) byObject.set(single.object, [...(byObject.get(single.object) ?? []), single]);
  return [...byObject.entries()].flatMap(([object, list]) =>
    Array.from({ length: Math.ceil(list.length / perBody) }, (_, i) =>
      JSON.stringify({ object, entry: list.slice(i * perBody, (i + 1) * perBody).flatMap((b) => b.entry as unknown[]) }),
    ),
  );
};

const throughput = async (perBody: number): Promise<{ median: number; min: number; max: number; events: number; bodies: number }> => {
  const texts = bodies(perBody);
  const requests = texts.map((body) => httpEvent({ method: 'POST', body, headers: { 'x-hub-signature-256': signBody(body, SECRET) } }));
  const eventsPerRound = texts.reduce((n, body) => n + normaliseWebhookBody(JSON.parse(body)).events.length, 0);
  const handler = createWebhookHandler({
    secrets: new StaticWebhookSecrets(SECRET, 'token'),
    store: noopStore,
    quarantine: new InMemoryQuarantine(),
    accounts: { list: () => Promise.resolve([]), get: () => Promise.resolve(undefined), put: () => Promise.resolve(), remove: () => Promise.resolve(false) },
    clock: Date.now,
    logger: new Logger({ logLevel: 'SILENT' }),
    maxBodyBytes: 4 * 1024 * 1024,
  });
  for (let i = 0; i < 100; i += 1) for (const r of requests) await handler(r); // warm-up: zod compiles its parsers lazily
  // Several short rounds, reported as median and range: one long run on a shared machine is noisy.
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let events = 0;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS) {
      for (const r of requests) {
        const result = await handler(r);
        if (result.statusCode !== 200) throw new Error(`unexpected ${result.statusCode}`);
      }
      events += eventsPerRound;
    }
    rates.push(events / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(ROUNDS / 2)] as number, min: rates[0] as number, max: rates[ROUNDS - 1] as number, events: eventsPerRound, bodies: texts.length };
};

const bundle = async (): Promise<{ file: string; bytes: number }> => {
  const outdir = join(ROOT, '.bench');
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, 'meta-webhook.mjs');
  await build({
    entryPoints: [join(ROOT, 'lambdas', 'handlers', 'meta-webhook.ts')],
    outfile: file,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: { js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return { file, bytes: statSync(file).size };
};

/** The SDK modules the bundle leaves to the Lambda runtime. */
const SDK_MODULES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-secrets-manager'];

const initTime = (file: string, preload: readonly string[]): number => {
  const script = `${preload.map((m) => `await import(${JSON.stringify(m)});`).join('')}const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const env = {
    ...process.env,
    TABLE_NAME: 'bench',
    APP_SECRET_ID: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:app',
    VERIFY_TOKEN_SECRET_ID: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:verify',
    AWS_REGION: 'eu-central-1',
    POWERTOOLS_SERVICE_NAME: 'afterchat',
    POWERTOOLS_METRICS_NAMESPACE: 'afterchat',
  };
  const runs = Array.from({ length: 15 }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, cwd: ROOT }).toString().trim()),
  ).sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)] as number;
};

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

const main = async (): Promise<void> => {
  // `--max-body`: a body of Meta's maximum size and event count, end to end (bin/bench-webhook-max-body.ts).
  if (process.argv.includes('--max-body')) {
    printMaxBody(await benchMaxBody({ dynalite: process.argv.includes('--dynalite') }), process.argv.includes('--json'));
    return;
  }
  if (process.argv.includes('--hand-off')) {
    const at = process.argv.indexOf('--sqs-ms');
    const sqsMs = at === -1 ? 0 : Number(process.argv[at + 1]);
    printHandOff(await benchHandOff({ sqsMs }), sqsMs, process.argv.includes('--json'));
    return;
  }
  console.log(`node ${process.version}, ${process.arch}; every sample event in events/meta; throughput is the median (min-max) of ${ROUNDS} rounds of ${ROUND_MS} ms`);
  for (const perBody of [1, 50]) {
    const t = await throughput(perBody);
    console.log(
      `webhook throughput, ${perBody === 1 ? 'one event per body ' : `${perBody} events per body`}: ${fmt(t.median)} events/s on one core (${fmt(t.min)}-${fmt(t.max)}; verify + parse + normalise + plan writes; storage stubbed; ${t.events} events in ${t.bodies} bodies)`,
    );
  }
  const b = await bundle();
  console.log(`webhook bundle: ${(b.bytes / 1024).toFixed(1)} KB minified (ESM, node24, @aws-sdk/* external as in Lambda's Node 24 runtime)`);
  const init = initTime(b.file, []);
  const own = initTime(b.file, SDK_MODULES);
  console.log(`webhook module init: ${init.toFixed(1)} ms cold, AWS SDK v3 load included (median of 15 fresh processes)`);
  console.log(`webhook module init, afterchat's own: ${own.toFixed(1)} ms (same, with the runtime's AWS SDK modules already loaded)`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
