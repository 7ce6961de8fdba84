import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleFiles } from '../../../lambdas/local/console-files';
import { httpEvent } from '../../helpers/api-gateway-event';

const dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
mkdirSync(join(dist, 'assets', 'fonts'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<div id="root"></div>');
writeFileSync(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
const serve = consoleFiles(dist);
const get = (rawPath: string) => serve(httpEvent({ path: rawPath, method: 'GET' }));
const text = (body: string | undefined) => Buffer.from(body ?? '', 'base64').toString('utf8');

describe('the local stack serving the console', () => {
  it('serves a hashed asset with its type, cached for good', async () => {
    const answer = await get('/console/assets/index-abc.js');
    expect(answer).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(text(answer.body)).toBe('console.log(1)');
  });

  it("answers the app's own routes with the page, never cached, so a reload of a deep link works", async () => {
    const answer = await get('/console/contacts/whatsapp/1/2');
    expect(answer).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } });
    expect(text(answer.body)).toContain('id="root"');
  });

  it('answers a deep link whose last part has a dot (an occurrence key) with the page, not a 404', async () => {
    const answer = await get('/console/campaigns/herbst/occurrences/2026-05-18T13%3A00%3A00.000Z');
    expect(answer).toMatchObject({ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
  });

  it('redirects /console to /console/', async () => {
    await expect(get('/console')).resolves.toMatchObject({ statusCode: 308, headers: { location: '/console/' } });
  });

  it('never serves a file outside the build, and answers a missing asset 404', async () => {
    await expect(get('/console/..%2f..%2fpackage.json')).resolves.toMatchObject({ statusCode: 404 });
    await expect(get('/console/assets/gone.js')).resolves.toMatchObject({ statusCode: 404 });
  });

  it('answers a malformed path 400, not 500', async () => {
    await expect(get('/console/assets/%E0%A4%A.js')).resolves.toMatchObject({ statusCode: 400 });
    await expect(get('/console/contacts/%')).resolves.toMatchObject({ statusCode: 400 });
    await expect(get('/console/assets/index-abc.js%00')).resolves.toMatchObject({ statusCode: 400 });
  });

  it('answers a directory, or a path through a file, 404', async () => {
    await expect(get('/console/assets/')).resolves.toMatchObject({ statusCode: 404 });
    await expect(get('/console/assets/fonts')).resolves.toMatchObject({ statusCode: 404 });
    await expect(get('/console/assets/index-abc.js/x.js')).resolves.toMatchObject({ statusCode: 404 });
  });

  it('says how to build the console when it is not built', async () => {
    const answer = await consoleFiles(join(dist, 'nothing'))(httpEvent({ path: '/console/', method: 'GET' }));
    expect(answer).toMatchObject({ statusCode: 503, body: 'The console is not built: run `npm run build:console`.' });
  });
});
