/**
 * Interface under test: the console's Contacts area in Chromium, on the local stack with its send
 * pipeline and the Meta simulator, calling the admin API: a person who wrote on WhatsApp is found
 * by tag and opened; the window's countdown reads the stack's injected clock; the conversation is
 * handed to a human and back; tags and attributes are edited (a refused tag shows why); the
 * person is erased after typing their id, and is gone.
 */
import { adminCaller } from '../helpers/admin-contract';
import { type ConsoleBrowser, launchConsole } from '../helpers/browser';
import { DE_WA, PAGE, PHONE, PSID } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { SAMPLE_NUMBER, textBody } from '../helpers/whatsapp-webhook';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CONTACT = `/admin/contacts/whatsapp/${PHONE}/${DE_WA}`;

let stack: SendingStack;
let ui: ConsoleBrowser;
const call = adminCaller(() => stack.url);
/** When the person wrote, as the webhook stores it (Meta's timestamps are whole seconds). */
let wroteAt = 0;

beforeAll(async () => {
  stack = await startSendingStack();
  ui = await launchConsole(stack.url);
  // The page's timers and Date under the test's hand (they run at real speed until fast-forwarded).
  await ui.page.clock.install();
  const at = stack.now();
  wroteAt = Math.floor(at / 1000) * 1000;
  expect(await stack.postWebhook(textBody(SAMPLE_NUMBER, { waId: DE_WA, id: 'wamid.contacts-console-1', atMs: at, name: 'Kim' }, 'Is my order on its way?'))).toBe(200);
  stack.simulator.userMessaged({ channel: 'whatsapp', accountId: PHONE, userId: DE_WA, at });
  expect((await call('PUT', `${CONTACT}/profile`, { tags: ['vip'], attributes: { city: 'Leipzig' }, timeZone: 'Europe/Berlin' })).status).toBe(200);
  const reply = { idempotencyKey: 'contacts-console-reply', intent: { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Yes, it ships today.' } } };
  expect((await call('POST', '/admin/sends', reply)).status).toBe(202);
  await stack.waitUntilDrained();
}, 180_000);

afterAll(async () => {
  await ui?.close();
  await stack?.close();
});

const holder = () => ui.page.getByRole('status', { name: 'Thread holder' }).locator('strong');
/** Waits until the page names `who` as the thread's holder. */
const heldBy = (who: string) => holder().filter({ hasText: new RegExp(`^${who}$`) }).waitFor();

describe('console contacts', () => {
  it('finds the person by tag, opens them, and counts the window down on the stack’s clock', async () => {
    await ui.open('/contacts');
    await ui.page.getByLabel('Channel').selectOption('whatsapp');
    await ui.page.getByRole('combobox', { name: /^Account/ }).selectOption(`whatsapp/${PHONE}`);
    await ui.page.getByLabel('Tag', { exact: true }).fill('vip');
    await ui.page.getByRole('button', { name: 'Search' }).click();
    const results = ui.page.getByRole('table', { name: 'Contacts found' });
    const link = results.getByRole('link', { name: DE_WA });
    await link.waitFor();
    await results.getByRole('cell', { name: 'city=Leipzig' }).waitFor();
    await ui.screenshot('contacts-search');

    // 2 h 29 min 30 s after the person wrote, on the stack's clock: 21 h 30 min 30 s of window left.
    stack.advance(wroteAt + 2 * HOUR + 29 * MINUTE + 30_000 - stack.now());
    await link.click();
    await ui.page.getByRole('heading', { name: `Contact ${DE_WA}` }).waitFor();
    await expect(ui.page.getByRole('timer').textContent()).resolves.toBe('closes in 21 h 30 min');
    const facts = ui.page.getByRole('region', { name: 'Conversation window' });
    await facts.getByText('a message from the person, 17 May 2026, 12:00 UTC', { exact: true }).waitFor();
    await facts.getByText('Closes at', { exact: true }).waitFor();
    await expect(holder().textContent()).resolves.toBe('Automation');
    // The reply the Meta simulator took, with the status its webhook reported.
    const sends = ui.page.getByRole('table', { name: 'Last messages' });
    await sends.getByRole('cell', { name: 'reply (text)' }).waitFor();
    await sends.getByRole('cell', { name: /^(delivered|read)$/ }).waitFor();
    await ui.screenshot('contact-page');

    // At phone width nothing runs off the side: tables scroll in their own box.
    await ui.page.setViewportSize({ width: 375, height: 800 });
    await expect(ui.page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(375);
    await ui.page.setViewportSize({ width: 1280, height: 900 });
  });

  it('hands the conversation to a human and back, and the admin API agrees each time', async () => {
    await ui.page.getByLabel('Note for whoever takes it (optional)').fill('asked about a refund');
    await ui.page.getByRole('button', { name: 'Hand to a human' }).click();
    await heldBy('A human');
    await expect(ui.page.getByRole('status', { name: 'Thread holder' }).textContent()).resolves.toContain('Note: “asked about a refund”');
    expect((await call('GET', CONTACT)).body.handoff).toMatchObject({ active: true, source: 'admin', note: 'asked about a refund' });

    await ui.page.getByRole('button', { name: 'Hand back to automation' }).click();
    await heldBy('Automation');
    await expect(ui.page.getByText('Handed back to automation.').textContent()).resolves.toContain('No thread control app is configured');
    expect((await call('GET', CONTACT)).body.handoff).toMatchObject({ active: false, source: 'resume', until: null });
  });

  it('edits tags and attributes: a refused tag says why, the fixed profile is saved', async () => {
    const form = ui.page.getByRole('form', { name: 'Tags and attributes' });
    await form.getByLabel('New tag').fill('a#b');
    await form.getByLabel('New tag').press('Enter');
    await form.getByRole('button', { name: 'Save tags and attributes' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toContain('tags.1: a tag cannot contain #');
    expect((await call('GET', `${CONTACT}/profile`)).body).toMatchObject({ tags: ['vip'], attributes: { city: 'Leipzig' } });

    await form.getByRole('button', { name: 'Remove tag a#b' }).click();
    await form.getByLabel('New tag').fill('returning');
    await form.getByRole('button', { name: 'Add tag' }).click();
    await form.getByLabel('Attribute 1 value').fill('Berlin');
    await form.getByRole('button', { name: 'Add attribute' }).click();
    await form.getByLabel('Attribute 2 name').fill('plan');
    await form.getByLabel('Attribute 2 value').fill('gold');
    await form.getByRole('button', { name: 'Save tags and attributes' }).click();
    await expect(form.getByRole('status').textContent()).resolves.toBe('Saved: 2 tags, 2 attributes.');
    expect((await call('GET', `${CONTACT}/profile`)).body).toMatchObject({ tags: ['vip', 'returning'], attributes: { city: 'Berlin', plan: 'gold' }, timeZone: 'Europe/Berlin' });
  });

  it('says the window closed when the countdown reaches zero, as the API does', async () => {
    stack.advance(wroteAt + 24 * HOUR - 5 * MINUTE - stack.now());
    await ui.page.reload();
    const timer = ui.page.getByRole('timer');
    await expect(timer.textContent()).resolves.toMatch(/^closes in 4 min \d+ s$/);

    stack.advance(5 * MINUTE);
    await ui.page.clock.fastForward('05:00');
    const banner = ui.page.getByRole('region', { name: 'Conversation window' }).locator('.banner');
    await banner.filter({ hasText: /^Closed/ }).waitFor();
    await expect(banner.textContent()).resolves.toBe('Closed · closed 18 May 2026, 12:00 UTC: only templates (WhatsApp) or message tags reach the person');
    expect((await call('GET', CONTACT)).body.window).toMatchObject({ open: false, closesAt: new Date(wroteAt + 24 * HOUR).toISOString() });
  });

  it('erases the person only once their id is typed, shows what went, and they are gone', async () => {
    await ui.page.getByRole('button', { name: 'Erase this person…' }).click();
    // The keyboard is in the confirmation's field, named by its label.
    await ui.page.getByLabel(`Type the id ${DE_WA} to confirm`).waitFor();
    await expect(ui.page.evaluate<string | undefined>('document.activeElement?.labels?.[0]?.textContent')).resolves.toBe(`Type the id ${DE_WA} to confirm`);
    const erase = ui.page.getByRole('button', { name: 'Erase for good' });
    await ui.page.keyboard.type(DE_WA.slice(0, -1));
    await expect(erase.isDisabled()).resolves.toBe(true);
    await ui.page.keyboard.type(DE_WA.slice(-1));
    await ui.page.keyboard.press('Enter');

    await ui.page.getByRole('heading', { name: 'Erased' }).waitFor();
    await ui.page.getByRole('status').filter({ hasText: 'The person is gone.' }).waitFor();
    await expect(ui.page.getByRole('list', { name: 'Removed' }).textContent()).resolves.toContain('sends: 1');
    await ui.page.getByText('Asked for again, the admin API answers: 404 contact not found.').waitFor();
    expect((await call('GET', CONTACT)).status).toBe(404);

    await ui.open(`/contacts?account=whatsapp%2F${PHONE}&tag=vip`);
    await ui.page.getByText('No contact matches.').waitFor();
  });

  it('shows on a Messenger person’s page until when a human agent may still answer', async () => {
    const at = stack.now();
    const body = { object: 'page', entry: [{ id: PAGE, time: at, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE }, timestamp: at, message: { mid: 'm_contacts_console_1', text: 'Hello' } }] }] };
    expect(await stack.postWebhook(body)).toBe(200);
    await ui.open(`/contacts/messenger/${PAGE}/${PSID}`);
    const agent = ui.page.getByRole('region', { name: 'Conversation window' }).getByText(/^HUMAN_AGENT until/);
    await expect(agent.textContent()).resolves.toBe(`HUMAN_AGENT until ${new Date(at + 7 * 24 * HOUR).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })} UTC (6 d 23 h left)`);
    await ui.page.getByText('No opt-in token: the person has not accepted an opt-in request.').waitFor();
  });
});
