/** `afterchat report …`: the funnel, responsiveness and growth as tables, JSON and CSV, against a stub admin API. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { funnelReport } from '../../../lambdas/domain/measurement/funnel-report';
import { runAfterchat } from '../../helpers/cli-run';

const PHONE = '109876543210987';
const TITLES = {
  '131049': 'This message was not delivered to maintain healthy ecosystem engagement.',
  '131050': 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
  '131026': 'Message undeliverable',
};

/** 46 messages Meta reported on: 40 delivered (38 billable marketing in DE), 4 limited, 2 failed; 3 orders of 49.90 EUR. */
const REPORT = funnelReport({
  tally: {
    counts: {
      delivered: 40, read: 30, clicked: 12, replied: 5, converted: 3, opted_out: 2,
      limited: 4, limited_131049: 4, failed: 2, failed_131050: 1, failed_131026: 1,
      billed: 40, billed_marketing__DE: 38, unbilled_marketing__DE: 2, revenue_EUR: 149_700_000,
    },
    titles: TITLES,
  },
  channels: ['whatsapp', 'messenger'],
  estimated: { EUR: 5.2 },
  atMs: Date.UTC(2026, 11, 1, 8),
});
const AUDIENCE = { audience: 50, enqueued: 46, skipped: { no_opt_in: 3, window_closed: 1 } };

const BUCKETS = { under_30s: 1, '30s_to_2m': 1, '2m_to_5m': 0, '5m_to_10m': 0, '10m_to_30m': 1, '30m_to_1h': 0, over_1h: 0 };
const RESPONSIVENESS = {
  channel: 'whatsapp', accountId: PHONE, timeZone: 'Europe/Berlin', from: '2026-11-30', to: '2026-12-06',
  conversations: 4, answered: 3, waiting: 1, responseRate: 0.75, medianSeconds: 45, meanSeconds: 409.3333,
  buckets: BUCKETS, withinSla: { seconds: 300, answered: 2, share: 0.5 },
  days: [
    { day: '2026-11-30', conversations: 3, answered: 2, waiting: 1, responseRate: 0.6667, medianSeconds: 33, meanSeconds: 32.5, buckets: { ...BUCKETS, '10m_to_30m': 0 }, withinSla: { seconds: 300, answered: 2, share: 0.6667 } },
    { day: '2026-12-02', conversations: 1, answered: 1, waiting: 0, responseRate: 1, medianSeconds: 1163, meanSeconds: 1163, buckets: { ...BUCKETS, under_30s: 0, '30s_to_2m': 0 }, withinSla: { seconds: 300, answered: 0, share: 0 } },
  ],
  veryResponsive: { from: '2026-11-30', to: '2026-12-06', responseRate: 0.75, responseTimeSeconds: 409.3333, meets: false },
};
const GROWTH = {
  channel: 'whatsapp', accountId: PHONE, timeZone: 'Europe/Berlin', from: '2026-12-01', to: '2026-12-07',
  newContacts: 7, optIns: { marketing: 2 }, optOuts: { keyword: 3, user_preferences: 1 }, net: -2,
  days: [
    { day: '2026-12-01', newContacts: 5, optIns: { marketing: 2 }, optOuts: {}, net: 2 },
    { day: '2026-12-07', newContacts: 2, optIns: {}, optOuts: { keyword: 3, user_preferences: 1 }, net: -4 },
  ],
};

const ANSWERS: [RegExp, unknown][] = [
  [/^\/admin\/campaigns\/weekly-deals\/report$/, { campaignId: 'weekly-deals', occurrences: 2, audience: AUDIENCE, report: REPORT }],
  [/^\/admin\/campaigns\/weekly-deals\/occurrences\/[^/]+\/report$/, { campaignId: 'weekly-deals', occurrenceKey: '2026-12-01T08:00:00.000Z', audience: AUDIENCE, report: REPORT }],
  [/^\/admin\/campaigns\/weekly-deals$/, { occurrences: [{ occurrenceKey: '2026-12-01T08:00:00.000Z' }] }],
  [
    /^\/admin\/reports\/sends\?/,
    {
      channel: 'whatsapp',
      accountId: PHONE,
      from: '2026-11-30',
      to: '2026-12-06',
      report: REPORT,
      unattributed: { orders: 3, revenue: { EUR: 64.5 }, days: [{ day: '2026-12-02', orders: 3, revenue: { EUR: 64.5 } }] },
    },
  ],
  [/^\/admin\/reports\/triggers\/order\.shipped\?/, { detailType: 'order.shipped', from: '2026-12-01', to: '2026-12-06', report: REPORT }],
  [/\/responsiveness/, RESPONSIVENESS],
  [/\/growth/, GROWTH],
];

let server: Server;
let port: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    req.resume();
    const answer = ANSWERS.find(([path]) => path.test(req.url ?? ''));
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(answer?.[1] ?? { error: 'no such route' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = String((server.address() as AddressInfo).port);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const afterchat = (args: string[]) => runAfterchat(args, { env: { PORT: port }, now: () => Date.UTC(2026, 11, 6, 12) });

const FUNNEL_LINES = [
  'metric           count  rate     definition',
  '───────────────  ─────  ───────  ────────────────────────────────────────────────',
  'sent             46              messages Meta reported an outcome for',
  'delivered        40     86.96 %  delivery rate: delivered / sent',
  'read             30     75 %     read rate: read / delivered',
  'clicked          12     30 %     click-through rate: clicked / delivered',
  'replied          5      12.5 %   reply rate: replied within 72 h / delivered',
  'converted        3      7.5 %    conversion rate: converted / delivered',
  'opted out        2      5 %      opt-out rate: STOP within 72 h / delivered',
  "limited by Meta  4               Meta's marketing limits: not the message's fault",
  'failed           2               other failures, by code below',
  '',
  "bucket           code    count  Meta's title",
  '───────────────  ──────  ─────  ────────────────────────────────────────────────────────────',
  'limited by Meta  131049  4      This message was not delivered to maintain healthy ecosyste…',
  'failed           131026  1      Message undeliverable',
  'failed           131050  1      Unable to deliver the message. This recipient has chosen to…',
  '',
  'currency  estimated  billed  per delivered  per click  per conversion  revenue  ROAS',
  '────────  ─────────  ──────  ─────────────  ─────────  ──────────────  ───────  ───────',
  'EUR       5.2        4.3     0.1075         0.3583     1.4333          149.7    34.814×',
  'billed: 38 messages Meta reported billable, 2 not billable; priced from the dated table as of 2026-12-01',
  ...REPORT.caveats.map((caveat) => `note: ${caveat}`),
];

describe('afterchat report campaign and occurrence', () => {
  it('prints the audience, the funnel with Meta’s rates, limits and failures by code with Meta’s title, money per currency and every caveat', async () => {
    const { code, stdout, stderr } = await afterchat(['report', 'campaign', 'weekly-deals']);

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe('GET /admin/campaigns/weekly-deals/report');
    expect(stdout.split('\n')).toEqual(['campaign weekly-deals: 2 occurrences', 'audience 50, enqueued 46, skipped: no_opt_in 3, window_closed 1', ...FUNNEL_LINES, '']);
    expect(REPORT.caveats.join('\n')).toMatch(/webhooks carry no amount[\s\S]*Messenger reads are watermarks/);
    expect(stderr).toContain('Estimate only');
  });

  it('reads the latest occurrence when none is named', async () => {
    const { code, stdout } = await afterchat(['report', 'occurrence', 'weekly-deals']);

    expect(code).toBe(0);
    expect(asked.slice(-2)).toEqual(['GET /admin/campaigns/weekly-deals', 'GET /admin/campaigns/weekly-deals/occurrences/2026-12-01T08%3A00%3A00.000Z/report']);
    expect(stdout).toMatch(/^campaign weekly-deals, occurrence 2026-12-01T08:00:00.000Z\naudience 50,/);
  });

  it('--csv prints one metric,value,rate,detail row per figure (codes and currencies in the name, titles whole), the caveats on stderr', async () => {
    const { code, stdout, stderr } = await afterchat(['report', 'campaign', 'weekly-deals', '--csv']);

    expect(code).toBe(0);
    expect(stdout.split('\r\n')).toEqual([
      'metric,value,rate,detail',
      'audience,50,,',
      'enqueued,46,,',
      'skipped_no_opt_in,3,,',
      'skipped_window_closed,1,,',
      'sent,46,,messages Meta reported an outcome for',
      'delivered,40,0.8696,delivery rate: delivered / sent',
      'read,30,0.75,read rate: read / delivered',
      'clicked,12,0.3,click-through rate: clicked / delivered',
      'replied,5,0.125,reply rate: replied within 72 h / delivered',
      'converted,3,0.075,conversion rate: converted / delivered',
      'opted_out,2,0.05,opt-out rate: STOP within 72 h / delivered',
      "limited,4,,Meta's marketing limits: not the message's fault",
      'failed,2,,"other failures, by code below"',
      `limited_131049,4,,${TITLES['131049']}`,
      `failed_131026,1,,${TITLES['131026']}`,
      `failed_131050,1,,${TITLES['131050']}`,
      'estimated_EUR,5.2,,',
      'billed_EUR,4.3,,',
      'billed_messages,38,,',
      'not_billable,2,,',
      'unpriced,0,,',
      'cost_per_delivered_EUR,0.1075,,',
      'cost_per_click_EUR,0.3583,,',
      'cost_per_conversion_EUR,1.4333,,',
      'revenue_EUR,149.7,,',
      'roas_EUR,34.814,,',
      '',
    ]);
    expect(stderr.split('\n')).toEqual([...REPORT.caveats, '']);
  });

  it('--json prints the API’s answer as it came', async () => {
    const { code, stdout } = await afterchat(['report', 'campaign', 'weekly-deals', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ campaignId: 'weekly-deals', occurrences: 2, audience: AUDIENCE, report: REPORT });
  });

  it('--json with --csv is a usage mistake, exit 2, before any request', async () => {
    const before = asked.length;
    const { code, stdout, stderr } = await afterchat(['report', 'campaign', 'weekly-deals', '--csv', '--json']);
    expect([code, stdout, stderr, asked.length]).toEqual([2, '', 'afterchat: --json and --csv both asked: choose one\n', before]);
  });
});

describe('afterchat report sends', () => {
  it('asks for the last 7 UTC days by default and prints the same funnel, then the orders no message led to', async () => {
    const { code, stdout } = await afterchat(['report', 'sends', '--channel', 'whatsapp', '--account', PHONE]);

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe(`GET /admin/reports/sends?channel=whatsapp&accountId=${PHONE}&from=2026-11-30&to=2026-12-06`);
    expect(stdout.split('\n')).toEqual([
      `one-off sends of whatsapp ${PHONE}: 2026-11-30 to 2026-12-06 (UTC)`,
      ...FUNNEL_LINES,
      'unattributed: 3 orders of the account no message led to, 64.5 EUR',
      '',
    ]);
  });

  it('needs the account', async () => {
    const { code, stderr } = await afterchat(['report', 'sends', '--channel', 'whatsapp']);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--account <accountId>' not specified");
  });
});

describe('afterchat report trigger', () => {
  it('asks for the detail-type’s sends in the range given and prints the same funnel', async () => {
    const { code, stdout } = await afterchat(['report', 'trigger', 'order.shipped', '--from', '2026-12-01']);

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe('GET /admin/reports/triggers/order.shipped?from=2026-12-01&to=2026-12-06');
    expect(stdout.split('\n')).toEqual(['sends asked by order.shipped: 2026-12-01 to 2026-12-06 (UTC)', ...FUNNEL_LINES, '']);
  });
});

describe('afterchat report responsiveness', () => {
  it('prints a row per local day and the total, with rate, median, mean, SLA share and buckets, then the badge verdict', async () => {
    const { code, stdout } = await afterchat(['report', 'responsiveness', 'whatsapp', PHONE, '--from', '2026-11-30', '--to', '2026-12-06', '--sla', '300']);

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe(`GET /admin/accounts/whatsapp/${PHONE}/responsiveness?from=2026-11-30&to=2026-12-06&slaSeconds=300`);
    expect(stdout.split('\n')).toEqual([
      `whatsapp ${PHONE}: 2026-11-30 to 2026-12-06 (Europe/Berlin), human replies only, SLA 5 min`,
      'day         conversations  answered  waiting  response rate  median       mean         within SLA   <30s  30s-2m  2-5m  5-10m  10-30m  30-60m  >1h',
      '──────────  ─────────────  ────────  ───────  ─────────────  ───────────  ───────────  ───────────  ────  ──────  ────  ─────  ──────  ──────  ───',
      '2026-11-30  3              2         1        66.67 %        33 s         33 s         2 (66.67 %)  1     1       0     0      0       0       0',
      '2026-12-02  1              1         0        100 %          19 min 23 s  19 min 23 s  0 (0 %)      0     0       0     0      1       0       0',
      'total       4              3         1        75 %           45 s         6 min 49 s   2 (50 %)     1     1       0     0      1       0       0',
      "very responsive (Messenger's badge, 2026-11-30 to 2026-12-06): no, response rate 75 %, response time 6 min 49 s (needs ≥ 90 % and ≤ 15 min)",
      '',
    ]);
  });

  it('--csv prints the same rows with seconds and shares as numbers', async () => {
    const { code, stdout } = await afterchat(['report', 'responsiveness', 'whatsapp', PHONE, '--csv']);

    expect(code).toBe(0);
    expect(stdout.split('\r\n')).toEqual([
      'day,conversations,answered,waiting,response_rate,median_seconds,mean_seconds,sla_seconds,within_sla,within_sla_share,under_30s,30s_to_2m,2m_to_5m,5m_to_10m,10m_to_30m,30m_to_1h,over_1h',
      '2026-11-30,3,2,1,0.6667,33,32.5,300,2,0.6667,1,1,0,0,0,0,0',
      '2026-12-02,1,1,0,1,1163,1163,300,0,0,0,0,0,0,1,0,0',
      'total,4,3,1,0.75,45,409.3333,300,2,0.5,1,1,0,0,1,0,0',
      '',
    ]);
  });

  it('refuses an SLA that is not a whole number of seconds, exit 2', async () => {
    const { code, stderr } = await afterchat(['report', 'responsiveness', 'whatsapp', PHONE, '--sla', '5m']);
    expect(code).toBe(2);
    expect(stderr).toContain('expected a whole number ≥ 1.');
  });
});

describe('afterchat report growth', () => {
  it('prints new contacts, opt-ins by topic, opt-outs by source and net per local day and in total', async () => {
    const { code, stdout } = await afterchat(['report', 'growth', 'whatsapp', PHONE, '--from', '2026-12-01', '--to', '2026-12-07']);

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe(`GET /admin/accounts/whatsapp/${PHONE}/growth?from=2026-12-01&to=2026-12-07`);
    expect(stdout.split('\n')).toEqual([
      `whatsapp ${PHONE}: 2026-12-01 to 2026-12-07 (Europe/Berlin)`,
      'day         new contacts  opt-ins      opt-outs                       net',
      '──────────  ────────────  ───────────  ─────────────────────────────  ───',
      '2026-12-01  5             marketing 2  —                              +2',
      '2026-12-07  2             —            keyword 3, user_preferences 1  -4',
      'total       7             marketing 2  keyword 3, user_preferences 1  -2',
      '',
    ]);
  });

  it('--csv has a column per topic and opt-out source, negative nets as numbers', async () => {
    const { stdout } = await afterchat(['report', 'growth', 'whatsapp', PHONE, '--csv']);
    expect(stdout).toBe('day,new_contacts,opt_in_marketing,opt_out_keyword,opt_out_user_preferences,net\r\n2026-12-01,5,2,0,0,2\r\n2026-12-07,2,0,3,1,-4\r\ntotal,7,2,3,1,-2\r\n');
  });
});
