/**
 * The command lines the CLI prints for what comes next (`more:` for the next page, `follow it:`):
 * run as printed, each asks the same stack for the same things, the person's options kept. A stack
 * on loopback answers every page with a cursor and keeps what it was asked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAfterchat } from '../../helpers/cli-run';
import { lookupTo127, TEST_CREDENTIALS } from '../../helpers/sigv4-stub';

const ANSWERS: Record<string, unknown> = {
  'GET /admin/audit': { entries: [], cursor: 'page2' },
  'GET /admin/quarantine': { items: [], cursor: 'page2' },
  'GET /admin/contacts/whatsapp/109876543210987/4915112345678/sends': { sends: [], cursor: 'page2' },
  'POST /local/rules/weekly-deals/fire': { campaignId: 'weekly-deals', firingAt: '2031-06-02T08:00:00.000Z', occurrenceKey: '2031-06-02T08:00:00.000Z', outcome: 'started' },
  'GET /admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z': {
    status: 'completed',
    funnel: { jobs: 0, pending: 0, complete: true, sent: 0, delivered: 0, failed: 0, skippedAtSend: {} },
  },
  'GET /admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z/recipients': { recipients: [], cursor: 'page2' },
  'GET /admin/campaigns/weekly-deals': { occurrences: [{ occurrenceKey: '2031-06-02T08:00:00.000Z' }] },
  'GET /admin/campaigns/new-deals': { occurrences: [] },
  'GET /local/rules': { rules: [] },
  'POST /local/rules/new-deals/fire': { campaignId: 'new-deals', firingAt: '2031-06-02T08:00:00.000Z', occurrenceKey: '2031-06-02T08:00:00.000Z', outcome: 'started' },
};
/** A deployed stack's name, resolved to this machine's loopback server without DNS. */
const DEPLOYED = 'abc123.execute-api.eu-west-1.amazonaws.com';

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
  const line = stderr
    .split('\n')
    .map((l) => l.trimStart())
    .find((l) => l.startsWith(`${label}: npx afterchat `));
  expect(line).toBeDefined();
  return (line as string).slice(`${label}: npx afterchat `.length).split(' ');
};

describe('the next command the CLI prints', () => {
  it.each([
    ['audit', ['audit', '--from', '2031-06-01T00:00:00Z', '--to', '2031-06-02T00:00:00Z', '--limit', '5'], '/admin/audit?from=2031-06-01T00%3A00%3A00Z&to=2031-06-02T00%3A00%3A00Z&limit=5'],
    ['quarantine', ['quarantine', '--limit', '3'], '/admin/quarantine?limit=3'],
    ['contacts sends', ['contacts', 'sends', 'whatsapp', '109876543210987', '4915112345678', '--limit', '7'], '/admin/contacts/whatsapp/109876543210987/4915112345678/sends?limit=7'],
    [
      'campaigns recipients',
      ['campaigns', 'recipients', 'weekly-deals', '2031-06-02T08:00:00.000Z', '--state', 'not_read', '--limit', '2'],
      '/admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z/recipients?state=not_read&limit=2',
    ],
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

  it('occurrence of a campaign that has not fired: its rule and firing it ask the same local stack', async () => {
    // Act
    const { code, stderr } = await runAfterchat(['campaigns', 'occurrence', 'new-deals', '--url', url]);
    const rules = printed(stderr, 'its rule');
    const fire = printed(stderr, 'fire it now');
    const listed = await runAfterchat(rules);
    const fired = await runAfterchat(fire);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toContain('new-deals has not fired yet');
    expect(rules).toEqual(['campaigns', 'rules', '--url', url]);
    expect(fire).toEqual(['campaigns', 'fire', 'new-deals', '--url', url]);
    expect([listed.code, fired.code]).toEqual([0, 0]);
    expect(asked).toEqual(['GET /admin/campaigns/new-deals', 'GET /local/rules', 'POST /local/rules/new-deals/fire']);
  });

  it('occurrence of a campaign that has not fired on a deployed stack: points at its schedule there, not at the local-only rules', async () => {
    // Prepare
    const deployedUrl = `http://${DEPLOYED}:${new URL(url).port}`;
    const context = { lookup: lookupTo127(DEPLOYED), credentials: () => Promise.resolve(TEST_CREDENTIALS) };

    // Act
    const { code, stderr } = await runAfterchat(['campaigns', 'occurrence', 'new-deals', '--url', deployedUrl], context);

    // Assess
    expect(code).toBe(1);
    expect(printed(stderr, 'it fires at its schedule')).toEqual(['campaigns', 'show', 'new-deals', '--url', deployedUrl]);
    expect(stderr).not.toContain('campaigns fire');
  });
});
