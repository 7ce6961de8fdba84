/**
 * Interface under test: `GET /admin/health` over HTTP on the local stack: the configured Graph API
 * version (v25.0, as in the dev stage) with its end date, and the 60-day flag once the injected
 * clock nears that end.
 */
import { startTestStack, type TestStack } from '../helpers/local-stack';

const DAY = 86_400_000;
/** v25.0 is available until 2028-07-29 (Meta's Graph API changelog, updated 2026-10-29). */
const V25_END = Date.parse('2028-07-29T00:00:00Z');

describe('GET /admin/health on the local stack', () => {
  let stack: TestStack;

  beforeEach(async () => {
    stack = await startTestStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('answers 200 with the configured Graph API version and its end date', async () => {
    const response = await stack.get('/admin/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      status: 'ok',
      checkedAt: new Date(stack.now.value).toISOString(),
      warnings: [],
      graphApi: expect.objectContaining({ version: 'v25.0', status: 'ok', endingSoon: false, endsAt: '2028-07-29T00:00:00.000Z', daysLeft: Math.ceil((V25_END - stack.now.value) / DAY) }) as unknown,
    });
  });

  it('flags the version once its end is 30 days away', async () => {
    stack.now.value = V25_END - 30 * DAY;
    expect(await stack.getJson('/admin/health')).toMatchObject({
      status: 'warning',
      warnings: [expect.stringContaining('v25.0 ends 2028-07-29')],
      graphApi: { version: 'v25.0', status: 'ending_soon', endingSoon: true, daysLeft: 30 },
    });
  });
});
