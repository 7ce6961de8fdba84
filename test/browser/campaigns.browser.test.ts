/**
 * Interface under test: the console's Campaigns area in Chromium, on the local stack with its send
 * pipeline and the Meta simulator, calling the admin API. Six people wrote a day ago; four carry
 * the tag `vip`. The audience builder counts and lists exactly those four; the campaign is previewed
 * (schedule stays disabled until then), scheduled, and its rule fired as EventBridge would; the
 * occurrence page's funnel then shows the deliveries the simulator reports and the reads Meta posts
 * afterwards, without a reload, its recipients by status, and one by one filtered by funnel state
 * (each linking to their contact page). Polls with the same numbers leave the chart and the list as
 * they are; new numbers update both without "Loading…" or losing the list's sort, and once "More"
 * read a further page, a "Refresh" button offers to read the list again instead. A follow-up to the
 * unread is created as a draft and opened. A recurring campaign is paused and resumed; the list says sent, draft, paused.
 */
import { type WhatsAppMessageRef, whatsappStatus } from '../../lambdas/local/meta-simulator/status-webhooks';
import { adminCaller } from '../helpers/admin-contract';
import { type ConsoleBrowser, launchConsole } from '../helpers/browser';
import { PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { approveMarketingTemplate, writtenADayAgo } from '../helpers/sent-campaign';

const HOUR = 3_600_000;
const TEMPLATE = { name: 'herbst_sale', language: 'de' };
const PEOPLE = Array.from({ length: 6 }, (_, i) => `4915100019${String(i).padStart(2, '0')}`);
const VIP = [
  { waId: PEOPLE[0] as string, name: 'Ada Berg' },
  { waId: PEOPLE[1] as string, name: 'Ben Krüger' },
  { waId: PEOPLE[3] as string, name: 'Cem Aydın' },
  { waId: PEOPLE[5] as string, name: 'Dana Vogel' },
];
const READERS = VIP.slice(0, 2).map((p) => p.waId);

let stack: SendingStack;
let ui: ConsoleBrowser;
const call = adminCaller(() => stack.url);

beforeAll(async () => {
  stack = await startSendingStack({ statuses: ['delivered'] });
  expect(await approveMarketingTemplate(stack, TEMPLATE)).toBe(200);
  await writtenADayAgo(stack, { people: PEOPLE });
  for (const waId of PEOPLE) {
    const vip = VIP.find((p) => p.waId === waId);
    const [first, last] = (vip?.name ?? 'Someone Else').split(' ');
    const profile = { tags: vip ? ['vip', 'newsletter'] : ['newsletter'], attributes: { first_name: first, last_name: last } };
    expect((await call('PUT', `/admin/contacts/whatsapp/${PHONE}/${waId}/profile`, profile)).status).toBe(200);
  }
  ui = await launchConsole(stack.url);
}, 180_000);

afterAll(async () => {
  await ui?.close();
  await stack?.close();
});

/** Waits (no reload) until the funnel table's row for a step shows this count. */
const funnelShows = (step: string, people: number) =>
  ui.page
    .getByRole('table', { name: 'Funnel' })
    .getByRole('row', { name: new RegExp(`^${step} ${people} `) })
    .waitFor({ timeout: 30_000 });

/** The page at a phone's width scrolls only down (wide tables scroll inside their own box; a chart takes the new width a frame later). */
const fitsAPhone = async () => {
  await ui.page.setViewportSize({ width: 375, height: 800 });
  await ui.page.waitForFunction('document.documentElement.scrollWidth <= 375', undefined, { timeout: 5_000 }).catch(() => undefined);
  await expect(ui.page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(375);
  await ui.page.setViewportSize({ width: 1280, height: 900 });
};

/** The campaign's messages Meta accepted, as its status webhooks name them. */
const sentMessages = (): WhatsAppMessageRef[] =>
  stack.simulator
    .accepted()
    .filter((m) => m.template?.name === TEMPLATE.name)
    .map((m) => ({ phoneNumberId: PHONE, number: { wabaId: PHONE, displayPhoneNumber: '15550000000' }, wamid: m.id, waId: m.recipient, callbackData: m.callbackData }));

describe('console campaigns', () => {
  it('says there are no campaigns on an empty list, and builds an audience whose live count lists exactly the people the filter holds', async () => {
    await ui.open('/campaigns');
    await ui.page.getByText('No campaigns yet').waitFor();
    await ui.page.getByRole('link', { name: 'New campaign' }).click();
    await ui.page.getByRole('heading', { name: 'New campaign' }).waitFor();
    await ui.page.getByRole('textbox', { name: 'Name', exact: true }).fill('Herbst VIP');
    await expect(ui.page.getByRole('textbox', { name: 'Campaign id' }).inputValue()).resolves.toBe('herbst-vip');
    await ui.page.getByLabel(`Shop WA (whatsapp ${PHONE})`).check();
    // Everyone who wrote, before a filter narrows it.
    await ui.page.getByText('6 people match').waitFor();
    await ui.page.getByLabel('Tags (all of them, comma-separated)').fill('vip, newsletter');
    await ui.page.getByText('4 people match').waitFor();
    const matching = ui.page.getByRole('table', { name: 'Matching people' });
    const names = await matching.locator('tbody tr td:first-child').allTextContents();
    expect(names.sort()).toEqual(VIP.map((p) => p.name).sort());
    await matching.getByRole('cell', { name: VIP[2]?.waId }).waitFor();
  });

  it('previews before it schedules, then fires and shows the funnel filling as Meta reports deliveries and reads', async () => {
    await ui.page.getByRole('combobox', { name: /^Template/ }).selectOption(`${TEMPLATE.name}|${TEMPLATE.language}`);
    const at = new Date(Math.ceil((stack.now() + HOUR) / 60_000) * 60_000).toISOString().slice(0, 16);
    await ui.page.getByLabel('Send at (UTC)').fill(at);
    const schedule = ui.page.getByRole('button', { name: 'Schedule', exact: true });
    await expect(schedule.isDisabled()).resolves.toBe(true);

    await ui.page.getByRole('button', { name: 'Save and preview' }).click();
    await ui.page.getByText('4 of 4 would be sent').waitFor();
    await expect(schedule.isEnabled()).resolves.toBe(true);
    await ui.screenshot('campaign-edit');
    await fitsAPhone();
    await schedule.click();
    await ui.page.getByRole('heading', { name: 'Herbst VIP' }).waitFor();
    await ui.page.locator('dl.facts').getByText('scheduled', { exact: true }).waitFor();

    const fired = await call('POST', '/local/rules/herbst-vip/fire');
    expect(fired.status).toBe(200);
    const occurrenceKey = String(fired.body.occurrenceKey);
    await ui.open(`/campaigns/herbst-vip/occurrences/${encodeURIComponent(occurrenceKey)}`);
    await ui.page.getByRole('table', { name: 'Funnel' }).waitFor();
    await funnelShows('Audience', 4);
    await funnelShows('Delivered', 4);
    await funnelShows('Read', 0);

    // The page polls: an answer with the same numbers leaves the chart as drawn and the list as read.
    await stack.waitUntilDrained();
    const people = ui.page.getByRole('table', { name: 'Recipients', exact: true });
    const listed = (n: number) => ui.page.getByText(`${n} listed.`, { exact: true }).waitFor().then(() => people.locator('tbody tr td:first-child').allTextContents()).then((ids) => ids.sort());
    await listed(4);
    await people.getByRole('button', { name: 'Contact' }).click();
    const contactSort = () => people.getByRole('columnheader', { name: /^Contact/ }).getAttribute('aria-sort');
    await expect(contactSort()).resolves.toBe('ascending');
    await ui.page.evaluate(`(() => {
      document.querySelector('.chart canvas').dataset.kept = 'yes';
      window.sawLoading = false;
      new MutationObserver(() => { if (document.body.innerText.includes('Loading the recipients')) window.sawLoading = true; })
        .observe(document.body, { childList: true, subtree: true, characterData: true });
    })()`);
    for (let polls = 0; polls < 2; polls += 1) await ui.page.waitForResponse((r) => r.url().endsWith('/report'));
    const chartKept = () => ui.page.evaluate(`document.querySelector('.chart canvas').dataset.kept === 'yes'`);
    await expect(chartKept()).resolves.toBe(true);

    // Two people read it; Meta's webhooks reach afterchat while the page stays open: the chart and the list
    // follow, the list sorted as it was and never back to "Loading…".
    for (const ref of sentMessages().filter((r) => READERS.includes(r.waId))) expect(await stack.postWebhook(whatsappStatus(ref, 'read')(stack.now()) as object)).toBe(200);
    await funnelShows('Read', 2);
    await people.getByRole('row', { name: new RegExp(`^${READERS[0]} .* delivered → read `) }).waitFor();
    await expect(chartKept()).resolves.toBe(false);
    await expect(contactSort()).resolves.toBe('ascending');
    await expect(ui.page.evaluate('window.sawLoading')).resolves.toBe(false);
    await ui.page.getByRole('status', { name: 'Progress' }).getByText('sent', { exact: true }).waitFor();
    const recipients = ui.page.getByRole('table', { name: 'Recipients by status' });
    await recipients.getByRole('row', { name: 'Delivered Not read yet 2' }).waitFor();
    await ui.page.getByRole('combobox', { name: /^Status/ }).selectOption('Read');
    await expect(recipients.locator('tbody tr').allTextContents()).resolves.toEqual(['ReadDelivered and read2']);
    await ui.page.getByRole('combobox', { name: /^Status/ }).selectOption('');
    // One by one: each person links to their contact page, and the state filter keeps exactly its people.
    await expect(listed(4)).resolves.toEqual(VIP.map((p) => p.waId).sort());
    await expect(people.getByRole('link', { name: READERS[0] }).getAttribute('href')).resolves.toBe(`/console/contacts/whatsapp/${PHONE}/${READERS[0]}`);
    const show = ui.page.getByRole('combobox', { name: 'Show recipients' });
    await show.selectOption('read_not_clicked');
    await expect(listed(2)).resolves.toEqual([...READERS].sort());
    await people.getByRole('row', { name: new RegExp(`^${READERS[0]} .* Read, not clicked – delivered → read `) }).waitFor();
    const unread = VIP.map((p) => p.waId).filter((id) => !READERS.includes(id));
    await show.selectOption('not_read');
    await people.getByRole('link', { name: unread[0] }).waitFor();
    await expect(listed(2)).resolves.toEqual(unread.sort());
    await show.selectOption('failed');
    await ui.page.getByText('No recipients in this state.').waitFor();
    await show.selectOption('');
    await listed(4);
    await ui.screenshot('occurrence-funnel');
    await fitsAPhone();

    // On pages of three, the page "More" read stays when the counts move; "Refresh" reads the list again.
    const listing = (url: URL) => url.pathname.endsWith('/recipients');
    await ui.page.route(listing, (route) => route.continue({ url: route.request().url().replace('limit=50', 'limit=3') }));
    await ui.page.reload();
    await ui.page.getByText('3 listed; more to read.', { exact: true }).waitFor();
    await ui.page.getByRole('button', { name: 'More' }).click();
    await ui.page.getByText(/^4 listed/).waitFor();
    const third = sentMessages().find((r) => r.waId === VIP[2]?.waId);
    expect(await stack.postWebhook(whatsappStatus(third as WhatsAppMessageRef, 'read')(stack.now()) as object)).toBe(200);
    await funnelShows('Read', 3);
    await ui.page.getByText('The counts moved since this list was read.').waitFor();
    await ui.page.getByText(/^4 listed/).waitFor();
    await ui.page.getByRole('button', { name: 'Refresh' }).click();
    await ui.page.getByText('3 listed; more to read.', { exact: true }).waitFor();
    await expect(ui.page.getByRole('button', { name: 'Refresh' }).count()).resolves.toBe(0);
    await ui.page.unroute(listing);

    await ui.page.getByLabel('Recipients who are').selectOption('not_read');
    await ui.page.getByRole('button', { name: 'Create follow-up draft' }).click();
    await ui.page.getByRole('link', { name: 'open the follow-up herbst-vip-not-read' }).click();
    await ui.page.getByRole('heading', { name: 'Edit campaign herbst-vip-not-read' }).waitFor();

  });

  it('pauses and resumes a recurring campaign, and lists every campaign with its status as people say it', async () => {
    const weekly = {
      id: 'weekly-vip',
      name: 'Weekly VIP deals',
      accounts: [{ channel: 'whatsapp', accountId: PHONE }],
      audience: { tags: ['vip'] },
      content: { type: 'template', ...TEMPLATE },
      kind: 'marketing',
      schedule: { kind: 'recurring', expression: 'cron(0 8 ? * MON *)' },
      status: 'draft',
    };
    expect((await call('PUT', '/admin/campaigns/weekly-vip', weekly)).status).toBe(201);
    expect((await call('POST', '/admin/campaigns/weekly-vip/schedule')).status).toBe(200);
    await ui.open('/campaigns/weekly-vip');
    const status = ui.page.locator('dl.facts dd').first();
    await status.getByText('scheduled', { exact: true }).waitFor();
    await ui.page.getByRole('button', { name: 'Pause' }).click();
    await status.getByText('paused', { exact: true }).waitFor();
    await ui.page.getByRole('button', { name: 'Resume' }).click();
    await status.getByText('scheduled', { exact: true }).waitFor();
    await ui.page.getByRole('button', { name: 'Pause' }).click();
    await status.getByText('paused', { exact: true }).waitFor();

    await ui.page.getByRole('link', { name: 'All campaigns' }).click();
    const list = ui.page.getByRole('table', { name: 'Campaigns' });
    await list.getByRole('row', { name: /^Herbst VIP / }).getByText('sent', { exact: true }).waitFor();
    await list.getByRole('row', { name: /follow-up/ }).getByText('draft', { exact: true }).waitFor();
    await list.getByRole('row', { name: /^Weekly VIP deals / }).getByText('paused', { exact: true }).waitFor();
    await ui.screenshot('campaigns-list');
  });
});
