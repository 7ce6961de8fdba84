/**
 * Interface under test: the console's one-off send in Chromium against the local stack with its
 * send pipeline and the Meta simulator: the policy preview before the send button, a refusal read
 * as a sentence (free-form text to a WhatsApp person who never wrote) with the button disabled, and
 * an allowed send (the person wrote) showing its route and price, sent, and followed to its status.
 */
import { type ConsoleBrowser, launchConsole } from '../helpers/browser';
import { PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';

let stack: SendingStack;
let ui: ConsoleBrowser;

const NEVER_WROTE = '4915112345678';
const WROTE = '4915100000555';

beforeAll(async () => {
  stack = await startSendingStack();
  ui = await launchConsole(stack.url);
});

afterAll(async () => {
  await ui?.close();
  await stack?.close();
});

describe('console sends', () => {
  it('shows the policy preview before the send button: a refusal as a sentence keeps it disabled; an allowed message shows its route and price (and a later time’s decision), and sends', async () => {
    await ui.open('/sends');
    await ui.page.getByRole('heading', { name: 'Send a message' }).waitFor();
    const send = ui.page.getByRole('button', { name: 'Send', exact: true });
    await expect(send.isDisabled()).resolves.toBe(true);

    await ui.page.getByLabel('From account').selectOption(`whatsapp/${PHONE}`);
    await ui.page.getByLabel('To (PSID, IGSID or WhatsApp number)').fill(`+${NEVER_WROTE}`);
    await ui.page.getByRole('textbox', { name: 'Message', exact: true }).fill('Hallo! Your order is ready.');
    const now = ui.page.getByRole('status', { name: 'Policy preview now' });
    await now.waitFor();
    await expect(now.locator('.refusal').textContent()).resolves.toBe(
      'This person hasn’t written in the last 24 hours (or never has), so a free-form message can’t reach them: send an approved template instead.',
    );
    await expect(now.textContent()).resolves.toContain('Refused now.');
    await expect(send.isDisabled()).resolves.toBe(true);
    await ui.screenshot('sends-refused');

    // The other person wrote a minute ago: their window is open.
    await stack.openWhatsAppWindows([WROTE]);
    await ui.page.getByLabel('To (PSID, IGSID or WhatsApp number)').fill(`+${WROTE}`);
    await ui.page.getByText('Allowed now.').waitFor();
    await expect(now.textContent()).resolves.toContain('Goes as a WhatsApp free-form message inside the 24-hour window, free.');
    await expect(send.isEnabled()).resolves.toBe(true);
    // Asked about two days later too: the window will have closed by then; the button follows now's decision.
    await ui.page.getByLabel('Also check at a later time').fill('2026-05-19T12:00');
    const later = ui.page.getByRole('status', { name: 'Policy preview at 2026-05-19 12:00 UTC' });
    await later.waitFor();
    await expect(later.textContent()).resolves.toContain('Refused at 2026-05-19 12:00 UTC. This person hasn’t written in the last 24 hours');
    await expect(send.isEnabled()).resolves.toBe(true);
    await send.click();

    const status = ui.page.getByRole('definition').filter({ has: ui.page.locator('strong') });
    await ui.page.getByRole('heading', { name: 'Sent from this page' }).waitFor();
    await ui.page.getByText(/^(Sent to Meta|Delivered|Read)$/).waitFor({ timeout: 30_000 });
    await expect(status.first().textContent()).resolves.toMatch(/^(Sent to Meta|Delivered|Read)$/);
    expect(stack.simulator.accepted().map((m) => JSON.stringify(m))).toEqual([expect.stringContaining(WROTE)]);

    // At a phone's width the form and its preview fit: nothing scrolls sideways.
    await ui.page.setViewportSize({ width: 375, height: 800 });
    await expect(ui.page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(375);
  });
});
