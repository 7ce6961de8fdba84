/**
 * `afterchat console` against a deployed stack: the console on 127.0.0.1, its /admin/ calls
 * forwarded to the stack signed with the operator's credentials. The "deployed" admin API is the
 * SigV4 stub (test/helpers/sigv4-stub.ts: signatures computed by the specification, as API Gateway
 * does) under a non-loopback name that a lookup handed to the CLI resolves to 127.0.0.1.
 */
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from '../../../cli/client/target';
import { adminForwarder } from '../../../cli/console/admin-forwarder';
import { type ConsoleServer, serveConsole } from '../../../cli/console/serve-console';
import type { CliContext } from '../../../cli/context';
import { runCli } from '../../../cli/run';
import { capturedContext } from '../../helpers/cli-run';
import { lookupTo127, type SigV4Stub, startSigV4Stub, TEST_CREDENTIALS } from '../../helpers/sigv4-stub';

const HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';
const PAGE = '<!doctype html><title>afterchat console</title><div id="root"></div>';
const CONFIG = { config: { defaultLanguage: 'de' }, configured: true, updatedAt: '2026-12-07T01:00:00.000Z' };

let stub: SigV4Stub;
let dist: string;
let server: ConsoleServer;
let errors: unknown[];

const credentials = () => Promise.resolve(TEST_CREDENTIALS);

beforeAll(async () => {
  stub = await startSigV4Stub({
    region: 'eu-west-1',
    answers: {
      'GET /admin/accounts/whatsapp/109876543210987/responsiveness': { from: '2026-11-30', to: '2026-12-06', responseRate: 0.95 },
      'PUT /admin/accounts/whatsapp/109876543210987/automation': CONFIG,
      'GET /admin/accounts': { accounts: [] },
    },
  });
  dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), PAGE);
  writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log("afterchat")');
  errors = [];
  const target = resolveTarget(`http://${HOST}:${stub.port}/admin/`, {});
  server = await serveConsole({ port: 0, dist, admin: adminForwarder({ target, env: {}, lookup: lookupTo127(HOST), credentials }), onError: (e) => errors.push(e) });
});

afterAll(async () => {
  await server.close();
  await stub.close();
  rmSync(dist, { recursive: true, force: true });
  expect(errors).toEqual([]);
});

beforeEach(() => {
  stub.received.length = 0;
});

const local = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.port}${path}`, init);

describe('afterchat console, serving', () => {
  it('serves the console page, for its own routes too, and sends / there', async () => {
    for (const path of ['/console/', '/console/reports/responsiveness']) {
      const page = await local(path);
      expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([200, 'text/html; charset=utf-8', PAGE]);
    }
    expect((await local('/console/assets/app-1a2b.js')).status).toBe(200);
    const root = await local('/', { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/console/']);
    expect(stub.received).toEqual([]);
  });

  it('forwards a read with its query, signed, and answers what the stack answered', async () => {
    const answer = await local('/admin/accounts/whatsapp/109876543210987/responsiveness?from=2026-11-30&to=2026-12-06&note=a%20b%2Bc', { headers: { cookie: 'session=secret' } });

    expect([answer.status, await answer.json()]).toEqual([200, { from: '2026-11-30', to: '2026-12-06', responseRate: 0.95 }]);
    expect(stub.received).toHaveLength(1);
    const [received] = stub.received;
    expect(received?.verdict).toBe('signed');
    expect(received?.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/\\d{8}/eu-west-1/execute-api/aws4_request, `));
    const url = new URL(received?.url ?? '', 'http://stub');
    expect(url.pathname).toBe('/admin/accounts/whatsapp/109876543210987/responsiveness');
    expect([...url.searchParams]).toEqual([
      ['from', '2026-11-30'],
      ['to', '2026-12-06'],
      ['note', 'a b+c'],
    ]);
    // The browser's cookies stay on this machine.
    expect(received?.headers.cookie).toBeUndefined();
  });

  it('forwards a write with its body byte for byte, signed', async () => {
    const body = '{"defaultLanguage":"de","greeting":{"texts":{"de":"Hallo {firstName} – schön, dass du schreibst!"}}}';
    const answer = await local('/admin/accounts/whatsapp/109876543210987/automation', { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

    expect([answer.status, await answer.json()]).toEqual([200, CONFIG]);
    expect(stub.received.map((r) => [r.method, r.url, r.verdict, r.body, r.headers['content-type']])).toEqual([
      ['PUT', '/admin/accounts/whatsapp/109876543210987/automation', 'signed', body, 'application/json'],
    ]);
  });

  it('passes the stack’s refusals through as they are', async () => {
    const answer = await local('/admin/no/such/route');
    expect([answer.status, await answer.json()]).toEqual([404, { error: 'no such route' }]);
    expect(stub.received.map((r) => r.verdict)).toEqual(['signed']);
  });

  it('signs nothing for another site open in the same browser, nor for a name rebound to 127.0.0.1', async () => {
    const crossSite = await local('/admin/accounts', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    // fetch sets Host itself; a rebound name arrives with the attacker's.
    const rebound = await new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port: server.port, path: '/admin/accounts', headers: { host: `evil.example:${server.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end(),
    );

    expect([crossSite.status, rebound]).toEqual([403, 403]);
    expect(((await crossSite.json()) as { error: string }).error).toContain('cross-site request refused');
    expect(stub.received).toEqual([]);
  });
});

describe('afterchat console, the command', () => {
  /** Runs `afterchat console <args>` until `stop()`; `printed` resolves with what it printed once it listens. */
  const start = (args: string[], overrides: Partial<CliContext> = {}) => {
    let stop = () => undefined as void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let listening = (_text: string) => undefined as void;
    const printed = new Promise<string>((resolve) => (listening = resolve));
    let stdout = '';
    const { ctx, printed: streams } = capturedContext({
      stdout: { write: (chunk: string) => ((stdout += chunk), stdout.includes('Ctrl+C') && listening(stdout)) },
      interrupted: () => stopped,
      ...overrides,
    });
    const code = runCli(['console', ...args], ctx);
    return { printed, stop, code, stderr: () => streams().stderr };
  };

  it('prints the local URL, forwards signed calls to the deployed stack, and stops on Ctrl+C', async () => {
    const run = start(['--url', `http://${HOST}:${stub.port}/admin/`, '--port', '0'], { lookup: lookupTo127(HOST), credentials });
    const printed = await Promise.race([run.printed, run.code.then((code) => `exited ${code}: ${run.stderr()}`)]);

    const url = /^console: (http:\/\/127\.0\.0\.1:\d+\/console\/)$/m.exec(printed)?.[1];
    expect(url).toBeDefined();
    expect(printed).toContain(`admin API: http://${HOST}:${stub.port}/admin/ (each call signed with your AWS credentials)`);
    const answer = await fetch(new URL('/admin/accounts', url));
    expect([answer.status, await answer.json()]).toEqual([200, { accounts: [] }]);
    expect(stub.received.map((r) => [r.method, r.url, r.verdict])).toEqual([['GET', '/admin/accounts', 'signed']]);

    run.stop();
    expect(await run.code).toBe(0);
  });

  it('without a URL forwards to the local stack unsigned and says so', async () => {
    const run = start(['--port', '0'], { env: { PORT: String(stub.port) } });
    const printed = await Promise.race([run.printed, run.code.then((code) => `exited ${code}: ${run.stderr()}`)]);
    expect(printed).toContain(`admin API: http://127.0.0.1:${stub.port}/admin/ (on this machine: not signed) — the local stack`);
    const url = /^console: (\S+)$/m.exec(printed)?.[1] ?? '';
    const answer = await fetch(new URL('/admin/accounts', url));
    expect(answer.status).toBe(403);
    expect(stub.received.map((r) => r.verdict)).toEqual(['unsigned']);
    run.stop();
    expect(await run.code).toBe(0);
  });

  it('a custom domain without a region is a usage mistake, before anything listens', async () => {
    const run = start(['--url', 'https://admin.shop.example', '--port', '0']);
    expect(await run.code).toBe(2);
    expect(run.stderr()).toContain("can't tell the AWS region of admin.shop.example: pass --region or set AWS_REGION");
  });
});
