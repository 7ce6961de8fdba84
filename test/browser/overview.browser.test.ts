/**
 * Interface under test: the console's overview page in Chromium, served by the local stack at
 * /console/, calling the admin API: health, the registered accounts, and an empty database; an
 * account picker whose list the gateway refuses says so.
 */
import { type ConsoleBrowser, launchConsole } from '../helpers/browser';
import { startTestStack, type TestStack } from '../helpers/local-stack';

let stack: TestStack;
let ui: ConsoleBrowser;

beforeAll(async () => {
  stack = await startTestStack();
  ui = await launchConsole(stack.url);
});

afterAll(async () => {
  await ui?.close();
  await stack?.close();
});

describe('console overview', () => {
  it('on an empty database says no account is registered, with how to add one', async () => {
    await ui.open('/');
    await ui.page.getByRole('heading', { name: 'Overview' }).waitFor();
    await expect(ui.page.getByText('No accounts registered').textContent()).resolves.toContain('afterchat accounts put');
  });

  it('lists a registered account and the health checks', async () => {
    const put = await fetch(`${stack.url}/admin/accounts/messenger/100200300400500`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Shop Page', tokenSecret: 'afterchat/dev/tokens/test', timezone: 'Europe/Berlin' }),
    });
    expect(put.status).toBe(200);
    await ui.open('/');
    const table = ui.page.getByRole('table', { name: 'Accounts' });
    await expect(table.getByRole('cell', { name: 'Shop Page' }).textContent()).resolves.toBe('Shop Page');
    await expect(ui.page.getByRole('status').filter({ hasText: 'checked' }).count()).resolves.toBe(1);
  });

  it('says why an account picker holds no account when the admin API refuses the list, instead of "No accounts registered"', async () => {
    // The gateway refusing the caller (API Gateway's IAM check) is the outside world: the local stack checks no access.
    const accounts = (url: URL) => url.pathname === '/admin/accounts';
    await ui.page.route(accounts, (route) => route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ message: 'Forbidden' }) }));
    try {
      await ui.open('/subscribers');
      const picker = ui.page.getByRole('combobox', { name: 'Account' });
      await picker.getByText('Could not load accounts: 403 Forbidden').waitFor({ state: 'attached' });
      await expect(picker.isDisabled()).resolves.toBe(true);
    } finally {
      await ui.page.unroute(accounts);
    }
  });

  it('answers an unknown console path with its own not-found page, and a reload of a deep link with the app', async () => {
    await ui.open('/no/such/page');
    await ui.page.getByRole('heading', { name: 'Not found' }).waitFor();
    const asset = await fetch(`${stack.url}/console/assets/missing.js`);
    expect(asset.status).toBe(404);
  });
});
