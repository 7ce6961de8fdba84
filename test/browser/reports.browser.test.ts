/**
 * Interface under test: the console's Reports, Automation and Templates pages in Chromium, served
 * by the local stack with its send pipeline and the Meta simulator. A seeded week of WhatsApp
 * conversations (test/helpers/responsiveness-week.ts: a person's messages and the WhatsApp Business
 * app's replies, as signed webhooks at the stack's injected clock) gives the exact response rate
 * and the badge verdict, with the "very responsive" threshold drawn on the chart; templates created
 * in the simulator appear after "Sync now"; automation settings are refused with the field named
 * (by the page, then by the API) and saved.
 */
import { automationQueueDrained } from '../helpers/automation-queue';
import { type ConsoleBrowser, launchConsole } from '../helpers/browser';
import { PHONE, WABA } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { weekEvents, WEEK_EXPECTED, WEEK_FROM, WEEK_TO } from '../helpers/responsiveness-week';
import { from, messagesBody, SAMPLE_NUMBER, text } from '../helpers/whatsapp-webhook';

const WHATSAPP = `whatsapp/${PHONE}`;

let stack: SendingStack;
let ui: ConsoleBrowser;

/** A reply from the WhatsApp Business app on the coexistence number: a human at the business. */
const appEcho = (waId: string, id: string, atMs: number) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: WABA,
      changes: [
        {
          field: 'smb_message_echoes',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: PHONE },
            message_echoes: [{ from: '15550783881', to: waId, id, timestamp: String(Math.floor(atMs / 1000)), type: 'text', text: { body: 'Hallo, hier ist Sandra.' } }],
          },
        },
      ],
    },
  ],
});

/** Each message of the week received a second after it was written, by the stack's clock. */
const seedWeek = async () => {
  for (const event of weekEvents()) {
    stack.advance(Math.max(0, event.at + 1000 - stack.now()));
    const body = event.kind === 'in' ? messagesBody(SAMPLE_NUMBER, from({ waId: event.waId, id: event.id, atMs: event.at }, text('Hallo'))) : appEcho(event.waId, event.id, event.at);
    expect(await stack.postWebhook(body)).toBe(200);
  }
  await automationQueueDrained(stack.queues, 60_000);
};

/** What the check below reads of the chart's box in the page (the test project has no DOM types). */
interface CanvasBox {
  querySelector(selector: 'canvas'): {
    width: number;
    height: number;
    getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number>; width: number; height: number } } | null;
  } | null;
}

/**
 * Until a row of the chart's canvas is mostly the threshold's colour (#c2185b, magenta, or its
 * anti-aliased blend with white): a dashed line across the plot fills well over a third of a row;
 * the data lines and axis labels are other colours. Answers that row's share.
 */
const thresholdDrawn = async (chart: string): Promise<number> => {
  const box = await ui.page.getByRole('img', { name: chart }).elementHandle();
  const share = await ui.page.waitForFunction(
    (args: unknown) => {
      const [element, least] = args as [CanvasBox | null, number];
      const canvas = element?.querySelector('canvas');
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return false;
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      let best = 0;
      for (let y = 0; y < height; y++) {
        let row = 0;
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          const [r, g, b, a] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0, data[i + 3] ?? 0];
          if (a > 0 && r - g > 60 && b - g > 20) row++;
        }
        best = Math.max(best, row / width);
      }
      return best > least ? best : false;
    },
    [box, 0.35] as const,
    { timeout: 10_000 },
  );
  return (await share.jsonValue()) as number;
};

beforeAll(async () => {
  stack = await startSendingStack({ whatsappNumbers: { [PHONE]: { wabaId: WABA, displayPhoneNumber: '15550783881' } } });
  ui = await launchConsole(stack.url);
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await stack?.close();
});

describe('console reports', () => {
  it('shows a seeded week’s exact response rate, the badge verdict, and the very responsive threshold on the charts', async () => {
    await seedWeek();

    await ui.open('/reports');
    await ui.page.getByLabel('Account').selectOption(WHATSAPP);
    await ui.page.getByLabel('From').fill(WEEK_FROM);
    await ui.page.getByLabel('To', { exact: true }).fill(WEEK_TO);
    await ui.page.getByRole('button', { name: 'Show' }).click();

    const badge = ui.page.getByRole('group', { name: 'Very responsive badge' });
    await badge.getByText('Very responsive to messages: the badge is earned').waitFor();
    // 19 of 20 answered; Meta's response time is the mean of the fastest 18: 14484 / 18 s = 13 min 24 s.
    expect(WEEK_EXPECTED.responseRate).toBe(0.95);
    await expect(badge.textContent()).resolves.toContain('Response rate 95.0 % ✓');
    await expect(badge.textContent()).resolves.toContain('Response time 13 min 24 s ✓');
    const figures = ui.page.getByRole('list', { name: 'Responsiveness figures' });
    await expect(figures.textContent()).resolves.toContain('95.0 %');
    await expect(figures.textContent()).resolves.toContain('19 answered by a person, 1 waiting');
    await expect(ui.page.getByRole('table', { name: 'First-response time buckets' }).getByRole('row', { name: '1 h or more' }).textContent()).resolves.toBe('1 h or more2');

    expect(await thresholdDrawn('Response rate per day')).toBeGreaterThan(0.35);
    expect(await thresholdDrawn('First-response time per day')).toBeGreaterThan(0.35);
    await ui.page.getByText('Dashed line: Very responsive: 90 %').waitFor();
    await ui.screenshot('reports-responsiveness');

    // At a phone's width the page fits once the charts have followed their boxes (a ResizeObserver):
    // nothing scrolls sideways but the wide tables, in their own boxes.
    await ui.page.setViewportSize({ width: 375, height: 800 });
    await ui.page.waitForFunction('document.documentElement.scrollWidth <= window.innerWidth', undefined, { timeout: 5_000 });
    await ui.page.setViewportSize({ width: 1280, height: 900 });
  }, 180_000);
});

describe('console templates', () => {
  it('sync now reads the templates Meta lists and says what changed', async () => {
    await ui.open('/templates');
    await ui.page.getByLabel('Account').selectOption(WHATSAPP);
    await ui.page.getByText('No templates known for this account yet').waitFor();

    stack.simulator.setTemplate({ accountId: PHONE, name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY', quality: 'GREEN' });
    stack.simulator.setTemplate({ accountId: PHONE, name: 'winter_sale', language: 'en', status: 'APPROVED', category: 'MARKETING', quality: 'GREEN' });
    await ui.page.getByRole('button', { name: 'Sync now' }).click();

    const changes = ui.page.getByRole('list', { name: 'What changed' });
    await changes.getByText('order_update').waitFor();
    await expect(changes.textContent()).resolves.toContain('New: order_update (de) — status APPROVED, category UTILITY, quality GREEN');
    await expect(ui.page.getByRole('status', { name: 'Sync result' }).textContent()).resolves.toContain('2 listed by Meta, 2 new');
    const table = ui.page.getByRole('table', { name: 'Templates' });
    await expect(table.getByRole('row', { name: /winter_sale/ }).textContent()).resolves.toContain('MARKETING');

    // Meta paused one and lowered its quality; the next sync says so.
    stack.simulator.setTemplate({ accountId: PHONE, name: 'winter_sale', language: 'en', status: 'PAUSED', category: 'MARKETING', quality: 'YELLOW' });
    await ui.page.getByRole('button', { name: 'Sync now' }).click();
    await changes.getByText('Changed: winter_sale (en) — status APPROVED → PAUSED, quality GREEN → YELLOW').waitFor();
    await expect(table.getByRole('row', { name: /winter_sale/ }).textContent()).resolves.toContain('PAUSED');
    await ui.screenshot('templates');
  });
});

describe('console automation', () => {
  it('refuses obvious mistakes in the page and the API’s by field, then saves', async () => {
    await ui.open('/automation');
    await ui.page.getByLabel('Account').selectOption(WHATSAPP);
    const form = ui.page.getByRole('form', { name: 'Automation settings' });
    await form.getByText('Never configured').waitFor();

    await form.getByLabel('Use business hours').check();
    await form.getByLabel('Monday').fill('09:00–18:00');
    await form.getByLabel('Tuesday').fill('25:00–26:00');
    await form.getByLabel('Greet a new conversation').check();
    await form.getByRole('button', { name: 'Greeting: add a language' }).click();
    await form.getByLabel('Greeting 1: language').fill('de');
    // Only the name: without one the greeting would be empty, which the API refuses.
    await form.getByLabel('Greeting 1: text').fill('{firstName}');
    await form.getByRole('button', { name: 'Save settings' }).click();

    // The page's own check: Tuesday's period, before anything is sent.
    await expect(form.getByLabel('Tuesday').getAttribute('aria-invalid')).resolves.toBe('true');
    await form.getByText('“25:00–26:00” is not a period').waitFor();
    await form.getByRole('alert').filter({ hasText: 'Not saved: fix the fields marked below.' }).waitFor();

    // The API's check, shown under the greeting's texts.
    await form.getByLabel('Tuesday').fill('09:00–12:00, 13:00–18:00');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('alert').filter({ hasText: 'the stack refused it (400)' }).waitFor();
    await expect(form.getByRole('group', { name: 'Greeting texts' }).textContent()).resolves.toContain('needs words besides {firstName}');

    await form.getByLabel('Greeting 1: text').fill('Hallo {firstName}, wie können wir helfen?');
    await form.getByLabel('Handoff words').fill('mensch, berater');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').filter({ hasText: 'automation picks the settings up within a minute' }).waitFor();

    const stored = (await (await fetch(`${stack.url}/admin/accounts/whatsapp/${PHONE}/automation`)).json()) as { configured: boolean; config: Record<string, unknown> };
    expect(stored.configured).toBe(true);
    expect(stored.config).toMatchObject({
      businessHours: { weekly: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }] } },
      greeting: { enabled: true, texts: { de: 'Hallo {firstName}, wie können wir helfen?' } },
      keywords: { handoff: ['mensch', 'berater'] },
    });
    await ui.screenshot('automation');
  });
});
