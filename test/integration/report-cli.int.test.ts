/**
 * Interface under test: `afterchat report responsiveness|growth|sends|campaign` against the local
 * stack, through its admin API to the counters the webhook, automation and `POST /admin/sends`
 * keep (issue 15, "Reports"): four people write on one Berlin day, agents answer three of them
 * after 20 s, 90 s and 400 s, a fifth person sends STOP; the CLI prints what that caused.
 */
import { runAfterchat } from '../helpers/cli-run';
import { type CampaignStack, startCampaignStack } from '../helpers/campaign-stack';
import { PHONE } from '../helpers/sample-ids';
import { from, messagesBody, SAMPLE_NUMBER, text } from '../helpers/whatsapp-webhook';
import { automationQueueDrained } from '../helpers/automation-queue';

const SECOND = 1000;
const DAY = '2026-12-01';
/** 10:00 in Berlin on DAY. */
const OPEN = Date.UTC(2026, 11, 1, 9, 0);
const PEOPLE = [
  { waId: '4915100008101', delaySeconds: 20 },
  { waId: '4915100008102', delaySeconds: 90 },
  { waId: '4915100008103', delaySeconds: 400 },
  { waId: '4915100008104', delaySeconds: null },
] as const;
const STOPPER = '4915100008105';

let stack: CampaignStack;
const afterchat = (args: string[]) => runAfterchat(args, { env: { AFTERCHAT_URL: stack.url }, now: () => Date.UTC(2026, 11, 1, 18) });

const automationSettled = () => automationQueueDrained(stack.queues, 60_000);

const says = async (waId: string, id: string, atMs: number, body: string) => {
  stack.now.value = atMs + SECOND;
  await stack.postWebhook(messagesBody(SAMPLE_NUMBER, from({ waId, id, atMs }, text(body))));
};

beforeAll(async () => {
  stack = await startCampaignStack();
  for (const [i, person] of PEOPLE.entries()) {
    const openAt = OPEN + i * 60 * SECOND;
    await says(person.waId, `wamid.report-${i}`, openAt, 'Hallo, habt ihr das Rad noch?');
    if (person.delaySeconds === null) continue;
    stack.now.value = openAt + person.delaySeconds * SECOND;
    const { status } = await stack.call('POST', '/admin/sends', {
      intent: { channel: 'whatsapp', accountId: PHONE, userId: person.waId, kind: 'reply', author: 'human', content: { type: 'text', text: 'Ja, noch da!' } },
      idempotencyKey: `report-${i}`,
    });
    expect(status).toBe(202);
  }
  await says(STOPPER, 'wamid.report-stop', OPEN + 30 * 60 * SECOND, 'STOP');
  await automationSettled();
}, 120_000);

afterAll(async () => stack?.close());

describe('afterchat report on the local stack', () => {
  // The STOP opens a turn too: automation's answer to it is no human's, so it waits with the fourth person's.
  it('responsiveness: the day’s rate, median, mean, SLA share and buckets, and the badge verdict', async () => {
    const { code, stdout, stderr } = await afterchat(['report', 'responsiveness', 'whatsapp', PHONE, '--from', DAY, '--to', DAY, '--sla', '300']);

    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.split('\n')).toEqual([
      `whatsapp ${PHONE}: ${DAY} to ${DAY} (Europe/Berlin), human replies only, SLA 5 min`,
      'day         conversations  answered  waiting  response rate  median      mean        within SLA  <30s  30s-2m  2-5m  5-10m  10-30m  30-60m  >1h',
      '──────────  ─────────────  ────────  ───────  ─────────────  ──────────  ──────────  ──────────  ────  ──────  ────  ─────  ──────  ──────  ───',
      `${DAY}  5              3         2        60 %           1 min 30 s  2 min 50 s  2 (40 %)    1     1       0     1      0       0       0`,
      'total       5              3         2        60 %           1 min 30 s  2 min 50 s  2 (40 %)    1     1       0     1      0       0       0',
      // The badge reads the 7 days up to --to: the same three answers; (20 + 90 + 400) / 3 = 170 s.
      `very responsive (Messenger's badge, 2026-11-25 to ${DAY}): no, response rate 60 %, response time 2 min 50 s (needs ≥ 90 % and ≤ 15 min)`,
      '',
    ]);
  });

  it('responsiveness --json is the admin API’s answer', async () => {
    const { code, stdout } = await afterchat(['report', 'responsiveness', 'whatsapp', PHONE, '--from', DAY, '--to', DAY, '--sla', '300', '--json']);
    const { body } = await stack.call('GET', `/admin/accounts/whatsapp/${PHONE}/responsiveness?from=${DAY}&to=${DAY}&slaSeconds=300`);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(body);
    expect(body).toMatchObject({ conversations: 5, answered: 3, waiting: 2, responseRate: 0.6, medianSeconds: 90, meanSeconds: 170 });
  });

  it('growth --csv: five new contacts and one STOP on the Berlin day', async () => {
    const { code, stdout } = await afterchat(['report', 'growth', 'whatsapp', PHONE, '--from', DAY, '--to', DAY, '--csv']);

    expect(code).toBe(0);
    expect(stdout).toBe(`day,new_contacts,opt_out_keyword,net\r\n${DAY},5,1,-1\r\ntotal,5,1,-1\r\n`);
  });

  it('sends: the one-off sends’ funnel, empty while no status webhook has come (no sender runs here), rates shown as —', async () => {
    const { code, stdout } = await afterchat(['report', 'sends', '--channel', 'whatsapp', '--account', PHONE, '--from', DAY, '--to', DAY]);

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^one-off sends of whatsapp ${PHONE}: ${DAY} to ${DAY} \\(UTC\\)\\n`));
    expect(stdout).toMatch(/^delivered +0 +— +delivery rate: delivered \/ sent$/m);
    expect(stdout).toMatch(/^money: nothing estimated, billed or earned$/m);
    expect(stdout).toMatch(/^note: Meta's webhooks carry no amount/m);
  });

  it('campaign: a campaign that is not there exits 1 in the API’s words', async () => {
    const { code, stdout, stderr } = await afterchat(['report', 'campaign', 'no-such-campaign']);

    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toBe('afterchat: GET /admin/campaigns/no-such-campaign/report: 404 campaign not found\n  campaignId: no-such-campaign\n');
  });
});
