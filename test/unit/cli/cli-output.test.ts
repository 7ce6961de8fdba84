/** What the CLI prints: tables for a person, the answer as it came with --json, refusals in the API's words, and what a stopped stack means. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAfterchat } from '../../helpers/cli-run';

type Answer = [status: number, body: unknown];

let server: Server;
let port: string;
let answers: Record<string, Answer | (() => Answer)> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const answer = answers[`${req.method} ${req.url}`] ?? [404, { error: 'no such route', detail: { path: req.url } }];
    const [status, body] = typeof answer === 'function' ? answer() : answer;
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = String((server.address() as AddressInfo).port);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const afterchat = (args: string[], overrides: Parameters<typeof runAfterchat>[1] = {}) => runAfterchat(args, { env: { PORT: port }, ...overrides });

const TEMPLATES = {
  channel: 'whatsapp',
  accountId: '102290129340398',
  templates: [
    { name: 'order_update', language: 'de', templateId: '1', status: 'APPROVED', statusReason: null, category: 'UTILITY', quality: 'GREEN', syncedAt: '2031-06-02T10:00:00.000Z', updatedAt: null, components: [] },
  ],
};

describe('answers', () => {
  it('are tables in the terminal: a header, a rule, a row per item, nothing for missing values but —', async () => {
    answers = { 'GET /admin/templates/whatsapp/102290129340398': [200, TEMPLATES] };
    const { code, stdout } = await afterchat(['templates', 'list', 'whatsapp', '102290129340398']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'name          language  status    category  quality  syncedAt                  updatedAt',
      '────────────  ────────  ────────  ────────  ───────  ────────────────────────  ─────────',
      'order_update  de        APPROVED  UTILITY   GREEN    2031-06-02T10:00:00.000Z  —',
      '',
    ]);
  });

  it('are the API’s JSON as it came with --json, before or after the command', async () => {
    answers = { 'GET /admin/templates/whatsapp/102290129340398': [200, TEMPLATES] };
    for (const args of [['--json', 'templates', 'list', 'whatsapp', '102290129340398'], ['templates', 'list', 'whatsapp', '102290129340398', '--json']]) {
      const { code, stdout } = await afterchat(args);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual(TEMPLATES);
    }
  });
});

describe('refusals', () => {
  it('print the API’s error and each field issue on a line, and exit 1', async () => {
    answers = {
      'PUT /admin/contacts/whatsapp/109876543210987/4915112345678/profile': [
        400,
        { error: 'invalid profile', detail: [{ path: 'attributes.constructor', message: 'constructor is reserved' }, { path: 'timeZone', message: 'an IANA time zone such as Europe/Berlin' }] },
      ],
    };
    const { code, stdout, stderr } = await afterchat(['contacts', 'profile', 'whatsapp', '109876543210987', '4915112345678', '--attr', 'constructor=x', '--time-zone', 'Berlin']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'afterchat: PUT /admin/contacts/whatsapp/109876543210987/4915112345678/profile: 400 invalid profile',
        '  attributes.constructor: constructor is reserved',
        '  timeZone: an IANA time zone such as Europe/Berlin',
        '',
      ].join('\n'),
    );
  });

  it('print a campaign refusal’s facts beside its error', async () => {
    answers = { 'POST /admin/campaigns/black-friday/schedule': [409, { error: 'the campaign’s time has passed; set a later schedule.at', at: '2026-11-27T09:00:00Z' }] };
    const { code, stderr } = await afterchat(['campaigns', 'schedule', 'black-friday']);
    expect(code).toBe(1);
    expect(stderr).toBe('afterchat: POST /admin/campaigns/black-friday/schedule: 409 the campaign’s time has passed; set a later schedule.at\n  at: 2026-11-27T09:00:00Z\n');
  });
});

describe('a stopped stack', () => {
  it('is named with the command that starts it, never a stack trace, and exits 3', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = String((closed.address() as AddressInfo).port);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { code, stdout, stderr } = await runAfterchat(['campaigns', 'list'], { env: { PORT: free } });
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(`afterchat: no afterchat at http://127.0.0.1:${free} — start it with \`PORT=${free} npm run local\`\n`);
  });
});

describe('--follow', () => {
  const running = (pending: number) => ({
    campaignId: 'weekly-deals',
    occurrenceKey: '2031-06-02T08:00:00.000Z',
    status: pending === 0 ? 'done' : 'running',
    counts: { audience: 2, enqueued: 2, notDue: 0, skipped: {} },
    funnel: { jobs: 2, pending, sent: 2 - pending, delivered: 0, read: 0, failed: 0, skippedAtSend: {}, unknown: 0, complete: true, source: 'records' },
  });
  const path = 'GET /admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z';

  it('watches an occurrence until no job is left on the queue, and prints where it ended', async () => {
    const polls = [running(2), running(1), running(0)];
    answers = { [path]: () => [200, polls.length > 1 ? polls.shift() : polls[0]] };
    let now = Date.parse('2031-06-02T08:00:05Z');
    const { code, stdout } = await afterchat(['campaigns', 'occurrence', 'weekly-deals', '2031-06-02T08:00:00.000Z', '--follow'], {
      now: () => now,
      sleep: (ms) => Promise.resolve(void (now += ms)),
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^status +done$/m);
    expect(stdout).toMatch(/^funnel\.sent +2$/m);
  });

  it('stops watching after --timeout, says the work goes on, and exits 1', async () => {
    answers = { [path]: [200, running(2)] };
    let now = Date.parse('2031-06-02T08:00:05Z');
    const { code, stdout, stderr } = await afterchat(['campaigns', 'occurrence', 'weekly-deals', '2031-06-02T08:00:00.000Z', '--follow', '--timeout', '3'], {
      now: () => now,
      sleep: (ms) => Promise.resolve(void (now += ms)),
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'afterchat: weekly-deals 2031-06-02T08:00:00.000Z: still not finished after 3 s (running: sent 0, delivered 0, failed 0, skipped 0)\n' +
        '  the work goes on in the stack: run the command again to look, or give --timeout more seconds\n',
    );
  });
});
