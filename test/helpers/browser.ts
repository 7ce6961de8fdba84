/**
 * The console in a real browser: Debian's Chromium (bin/install-chromium.sh) driven by
 * playwright-core, against a local stack that serves the console at /console/. Screenshots go to
 * docs/console/, where the README shows them from.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');

/** Flags for this machine's closed network: no background connections that would be refused. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Opens a console path (e.g. `/contacts`) on the stack at `baseUrl`. */
  open(path?: string): Promise<void>;
  /** Saves the page as docs/console/<name>.png (the README's pictures). */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export const launchConsole = async (baseUrl: string, viewport = { width: 1280, height: 900 }): Promise<ConsoleBrowser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run bin/install-chromium.sh (npm test does), or set CHROMIUM_PATH`);
  if (!existsSync(join(__dirname, '..', '..', 'console', 'dist', 'index.html'))) throw new Error('The console is not built: run npm run build:console (npm test does)');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const context = await browser.newContext({ viewport, timezoneId: 'UTC', locale: 'en-GB' });
  const page = await context.newPage();
  // A console error is a defect the user would see as a broken page.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    browser,
    context,
    page,
    open: async (path = '/') => {
      await page.goto(`${baseUrl}/console${path}`);
    },
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await browser.close();
      if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
    },
  };
};
