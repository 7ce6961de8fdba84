/** `afterchat accounts automation usage`: what automation sent per day and rule, as a table, against a stub admin API. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAfterchat } from '../../helpers/cli-run';

const PHONE = '109876543210987';
let server: Server;
let port: string;
const asked: string[] = [];

const USAGE = {
  channel: 'whatsapp',
  accountId: PHONE,
  timeZone: 'Europe/Berlin',
  from: '2026-12-01',
  to: '2026-12-06',
  days: [
    {
      day: '2026-12-06',
      rule: 'greeting',
      sends: 2,
      refused: 1,
      estimatedCost: { EUR: 0.0912 },
      unpriced: 0,
      lines: [{ pricing: 'service', market: 'DE', sends: 2, pricePerMessage: 0.0456, currency: 'EUR', amount: 0.0912, priceRow: { id: 'whatsapp.DE.service.2026-10', effectiveFrom: '2026-10-01', confirmed: false } }],
    },
    {
      day: '2026-12-06',
      rule: 'keyword',
      sends: 1,
      refused: 0,
      estimatedCost: {},
      unpriced: 1,
      lines: [{ pricing: 'service', market: 'default', sends: 1, pricePerMessage: null, currency: null, amount: null, priceRow: { id: 'whatsapp.default.service.2026-10', effectiveFrom: '2026-10-01', confirmed: false } }],
    },
  ],
  totals: { sends: 3, refused: 1, estimatedCost: { EUR: 0.0912 }, unpriced: 1 },
  prices: [],
  disclaimer: 'Estimate only.',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(USAGE));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = String((server.address() as AddressInfo).port);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('accounts automation usage', () => {
  it('prints a row per day and rule with sends, refusals, estimated cost and the price with its date, then the totals', async () => {
    const { code, stdout, stderr } = await runAfterchat(['accounts', 'automation', 'usage', 'whatsapp', PHONE, '--from', '2026-12-01', '--to', '2026-12-06'], { env: { PORT: port } });

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe(`GET /admin/accounts/whatsapp/${PHONE}/automation/usage?from=2026-12-01&to=2026-12-06`);
    expect(stdout.split('\n')).toEqual([
      `whatsapp ${PHONE}: 2026-12-01 to 2026-12-06 (Europe/Berlin)`,
      'day         rule      sends  refused  estimated cost     price',
      '──────────  ────────  ─────  ───────  ─────────────────  ───────────────────────────────────────────────────',
      '2026-12-06  greeting  2      1        0.0912 EUR         service DE: 0.0456 EUR from 2026-10-01, unconfirmed',
      '2026-12-06  keyword   1      0        — (+1 not priced)  service default: not priced',
      'total: 3 sent, 1 refused, 0.0912 EUR and 1 not priced',
      '',
    ]);
    expect(stderr).toContain('Estimate only.');
  });
});
