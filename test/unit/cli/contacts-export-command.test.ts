/** `afterchat contacts export` and `contacts show` against a stand-in API: the export follows every page into one file, show prints the profile and consents. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAfterchat } from '../../helpers/cli-run';

const PHONE = '109876543210987';
const WA = '4915112345678';
const EXPORT_PATH = `/admin/contacts/whatsapp/${PHONE}/${WA}/export`;

let server: Server;
let port: string;
let answers: Record<string, unknown> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = answers[`${req.method} ${req.url}`];
    req.resume();
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { error: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = String((server.address() as AddressInfo).port);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const page = (extra: Record<string, unknown>) => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId: WA,
  exportedAt: '2026-12-06T20:00:00.000Z',
  userIds: [WA],
  contact: null,
  records: [],
  sends: [],
  messageStatuses: [],
  events: [],
  quarantined: [],
  importRows: [],
  clicks: [],
  conversions: [],
  customerKeys: [],
  ...extra,
});

describe('afterchat contacts export', () => {
  it('follows the cursor to the last page and writes the person’s items as one document', async () => {
    // Prepare
    answers = {
      [`GET ${EXPORT_PATH}`]: page({ records: [{ pk: `C#whatsapp#${PHONE}#${WA}`, sk: 'STATE' }], sends: [{ pk: 'O#ob_1' }], cursor: 'next1' }),
      [`GET ${EXPORT_PATH}?cursor=next1`]: page({
        sends: [{ pk: 'O#ob_2' }],
        events: [{ pk: 'E#1' }],
        importRows: [{ pk: 'IMPORTROW#imp-1#000000002' }],
        clicks: [{ pk: 'CLICK#ob_2' }],
        conversions: [{ pk: `ORDER#whatsapp#${PHONE}#SK-1` }],
      }),
    };
    const cwd = mkdtempSync(join(tmpdir(), 'afterchat-export-'));

    // Act
    const { code, stdout } = await runAfterchat(['contacts', 'export', 'whatsapp', PHONE, WA, '--out', 'lena.json'], { env: { PORT: port }, cwd });

    // Assess
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(join(cwd, 'lena.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({
      records: [{ sk: 'STATE' }],
      sends: [{ pk: 'O#ob_1' }, { pk: 'O#ob_2' }],
      events: [{ pk: 'E#1' }],
      messageStatuses: [],
      quarantined: [],
      importRows: [{ pk: 'IMPORTROW#imp-1#000000002' }],
      clicks: [{ pk: 'CLICK#ob_2' }],
      conversions: [{ pk: `ORDER#whatsapp#${PHONE}#SK-1` }],
      customerKeys: [],
    });
    expect(written).not.toHaveProperty('cursor');
    expect(stdout).toMatch(/^sends\s+2$/m);
    expect(stdout).toMatch(/^clicks\s+1$/m);
  });

  it('prints the document on stdout without --out', async () => {
    // Prepare
    answers = { [`GET ${EXPORT_PATH}`]: page({ sends: [{ pk: 'O#ob_1' }] }) };

    // Act
    const { code, stdout } = await runAfterchat(['contacts', 'export', 'whatsapp', PHONE, WA], { env: { PORT: port } });

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ userIds: [WA], sends: [{ pk: 'O#ob_1' }] });
  });
});

describe('afterchat contacts show', () => {
  it('prints the profile and each consent with the words the person was shown', async () => {
    // Prepare
    answers = {
      [`GET /admin/contacts/whatsapp/${PHONE}/${WA}`]: {
        channel: 'whatsapp',
        accountId: PHONE,
        userId: WA,
        optIns: [],
        marketingOptOut: false,
        profile: { tags: ['vip'], attributes: { firstName: 'Lena', locale: 'de_DE' }, timeZone: 'Europe/Berlin' },
        consents: [{ topic: 'offers', basis: 'express', source: 'whatsapp_button', capturedAt: '2026-12-01T10:00:00.000Z', textShown: 'Offers weekly? Reply YES', answer: 'YES' }],
      },
    };

    // Act
    const { code, stdout } = await runAfterchat(['contacts', 'show', 'whatsapp', PHONE, WA], { env: { PORT: port } });

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('profile:');
    expect(stdout).toMatch(/^attributes\.firstName\s+Lena$/m);
    expect(stdout).toMatch(/^attributes\.locale\s+de_DE$/m);
    expect(stdout).toMatch(/^offers\s+whatsapp_button\s+2026-12-01T10:00:00\.000Z\s+YES\s+Offers weekly\? Reply YES$/m);
  });
});
