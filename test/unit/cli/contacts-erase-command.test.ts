/** `afterchat contacts erase` against a stand-in API: refuses without --yes (nothing asked of the API), erases with it and prints the counts. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAfterchat } from '../../helpers/cli-run';

const PHONE = '109876543210987';
const WA = '4915112345678';
const ERASE = `DELETE /admin/contacts/whatsapp/${PHONE}/${WA}`;
const REMOVED = { contactRecords: 2, optIns: 0, tags: 1, otherContactItems: 0, sends: 3, messageStatuses: 1, events: 4, quarantined: 0, importRows: 0, limiterItems: 1 };

let server: Server;
let port: string;
const asked: string[] = [];
let answer: Record<string, unknown> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = String((server.address() as AddressInfo).port);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => void asked.splice(0));

const erased = (total: number, removed = REMOVED) => ({ channel: 'whatsapp', accountId: PHONE, erasedAt: '2026-12-06T20:00:00.000Z', ids: 2, tombstones: ['a'.repeat(64), 'b'.repeat(64)], removed, total });

describe('afterchat contacts erase', () => {
  it('refuses without --yes and asks the API nothing', async () => {
    // Act
    const { code, stderr } = await runAfterchat(['contacts', 'erase', 'whatsapp', PHONE, WA], { env: { PORT: port } });

    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('cannot be undone: run it again with --yes');
    expect(asked).toEqual([]);
  });

  it('erases with --yes and prints what was removed by kind', async () => {
    // Prepare
    answer = erased(12);

    // Act
    const { code, stdout } = await runAfterchat(['contacts', 'erase', 'whatsapp', PHONE, WA, '--yes'], { env: { PORT: port } });

    // Assess
    expect(code).toBe(0);
    expect(asked).toEqual([ERASE]);
    expect(stdout).toContain(`erased whatsapp ${PHONE} ${WA}: 12 items under 2 id(s)`);
    expect(stdout).toMatch(/events\s+4/);
  });

  it('says when nothing was left to erase', async () => {
    // Prepare
    answer = erased(0, Object.fromEntries(Object.keys(REMOVED).map((k) => [k, 0])) as typeof REMOVED);

    // Act
    const { code, stdout } = await runAfterchat(['contacts', 'erase', 'whatsapp', PHONE, WA, '--yes'], { env: { PORT: port } });

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('nothing left to erase');
  });
});
