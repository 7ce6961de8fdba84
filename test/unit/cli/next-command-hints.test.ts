/**
 * The command lines the CLI prints for what comes next (`more:` for the next page, `follow it:`):
 * run as printed, each asks the same stack for the same things, the person's options kept. A stack
 * on loopback answers every page with a cursor and keeps what it was asked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAfterchat } from '../../helpers/cli-run';

const ANSWERS: Record<string, unknown> = {
  'GET /admin/audit': { entries: [], cursor: 'page2' },
  'GET /admin/quarantine': { items: [], cursor: 'page2' },
  'GET /admin/contacts/whatsapp/109876543210987/4915112345678/sends': { sends: [], cursor: 'page2' },
  'POST /local/rules/weekly-deals/fire': { campaignId: 'weekly-deals', firingAt: '2031-06-02T08:00:00.000Z', occurrenceKey: '2031-06-02T08:00:00.000Z', outcome: 'started' },
  'GET /admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z': {
    status: 'completed',
    funnel: { jobs: 0, pending: 0, complete: true, sent: 0, delivered: 0, failed: 0, skippedAtSend: {} },
  },
  'GET /admin/campaigns/weekly-deals': { occurrences: [{ occurrenceKey: '2031-06-02T08:00:00.000Z' }] },
};

let server: Server;
let url: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const answer = ANSWERS[`${req.method} ${new URL(req.url ?? '/', 'http://stack').pathname}`];
    res.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? { error: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  asked.length = 0;
});

/** The command line after `<label>: npx afterchat `, as words (none of these needs quoting). */
const printed = (stderr: string, label: string): string[] => {
  const line = stderr.split('\n').find((l) => l.startsWith(`${label}: npx afterchat `));
  expect(line).toBeDefined();
  return (line as string).slice(`${label}: npx afterchat `.length).split(' ');
};

describe('the next command the CLI prints', () => {
  it.each([
    ['audit', ['audit', '--from', '2031-06-01T00:00:00Z', '--to', '2031-06-02T00:00:00Z', '--limit', '5'], '/admin/audit?from=2031-06-01T00%3A00%3A00Z&to=2031-06-02T00%3A00%3A00Z&limit=5'],
    ['quarantine', ['quarantine', '--limit', '3'], '/admin/quarantine?limit=3'],
    ['contacts sends', ['contacts', 'sends', 'whatsapp', '109876543210987', '4915112345678', '--limit', '7'], '/admin/contacts/whatsapp/109876543210987/4915112345678/sends?limit=7'],
  ])('%s: the next page keeps the filters, the page size and the stack', async (_name, args, first) => {
    // Act
    const { code, stderr } = await runAfterchat([...args, '--url', url]);
    const next = printed(stderr, 'more');
    const again = await runAfterchat(next);

    // Assess
    expect([code, again.code]).toEqual([0, 0]);
    expect(next).toContain(url);
    expect(asked).toEqual([`GET ${first}`, `GET ${first}&cursor=page2`]);
  });

  it('fire: following the firing asks the same stack', async () => {
    // Act
    const { code, stderr } = await runAfterchat(['campaigns', 'fire', 'weekly-deals', '--url', url]);
    const next = printed(stderr, 'follow it');
    const again = await runAfterchat(next);

    // Assess
    expect([code, again.code]).toEqual([0, 0]);
    expect(next).toEqual(['campaigns', 'occurrence', 'weekly-deals', '--follow', '--url', url]);
    expect(asked).toEqual([
      'POST /local/rules/weekly-deals/fire',
      'GET /admin/campaigns/weekly-deals',
      'GET /admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z',
    ]);
  });
});
