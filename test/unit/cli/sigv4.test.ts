/**
 * A deployed stack's calls are signed with SigV4 from the operator's credentials (the SDK's default
 * chain, here the environment), checked by a stub that computes the signature by the specification
 * as API Gateway does (test/helpers/sigv4-reference.ts, itself held to AWS's published answers);
 * loopback calls are not signed. The stub sits on this machine under a non-loopback name,
 * `abc123.execute-api.eu-west-1.amazonaws.com`, which a lookup handed to the CLI resolves to
 * 127.0.0.1 without DNS: offline, and the region still comes from the URL.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { createSigner } from '../../../cli/client/sigv4';
import { runAfterchat } from '../../helpers/cli-run';
import { sigV4 } from '../../helpers/sigv4-reference';
import { lookupTo127, type SigV4Stub, startSigV4Stub, TEST_CREDENTIALS } from '../../helpers/sigv4-stub';

const HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';
const ACCOUNTS = {
  accounts: [{ channel: 'whatsapp', accountId: '109876543210987', displayName: 'Shop', tokenSecret: 'afterchat/prod/tokens/whatsapp/109876543210987', timezone: 'Europe/Berlin' }],
};
const CAMPAIGN = { id: 'weekly-deals', status: 'paused', ruleName: 'afterchat-prod-campaign-weekly-deals', schedule: { kind: 'recurring', expression: 'cron(0 8 ? * MON *)' }, version: 3, updatedAt: '2031-06-02T10:00:00.000Z' };

let stub: SigV4Stub;
const saved = { ...process.env };

beforeAll(async () => {
  stub = await startSigV4Stub({
    region: 'eu-west-1',
    answers: {
      'GET /admin/accounts': ACCOUNTS,
      'PUT /admin/accounts/whatsapp/109876543210987': { channel: 'whatsapp', accountId: '109876543210987', displayName: 'Shop (WhatsApp)' },
      'POST /admin/campaigns/weekly-deals/pause': CAMPAIGN,
      'GET /admin/audit': { entries: [] },
      'GET /admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z': { occurrenceKey: '2031-06-02T08:00:00.000Z' },
    },
  });
});

afterAll(async () => {
  await stub.close();
});

beforeEach(() => {
  stub.received.length = 0;
  // The operator's credentials, as the SDK's default chain finds them first.
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});

afterEach(() => {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const deployed = (args: string[]) => runAfterchat([...args, '--url', `http://${HOST}:${stub.port}/admin/`], { lookup: lookupTo127(HOST) });

describe('a deployed stack', () => {
  it('gets signed reads, and the CLI prints what they answer', async () => {
    const { code, stdout, stderr } = await deployed(['accounts', 'list']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stub.received.map((r) => [r.method, r.url, r.verdict])).toEqual([['GET', '/admin/accounts', 'signed']]);
    expect(stdout).toContain('whatsapp  109876543210987  Shop');
  });

  it('gets signed writes with their body, query strings and encoded path segments', async () => {
    const put = await deployed(['accounts', 'put', 'whatsapp', '109876543210987', '--display-name', 'Shop (WhatsApp)', '--token-secret', 'afterchat/prod/tokens/whatsapp/109876543210987', '--timezone', 'Europe/Berlin']);
    const pause = await deployed(['campaigns', 'pause', 'weekly-deals', '--json']);
    const audit = await deployed(['audit', '--from', '2031-06-01T00:00:00Z', '--limit', '5']);
    const occurrence = await deployed(['campaigns', 'occurrence', 'weekly-deals', '2031-06-02T08:00:00.000Z']);
    expect([put.code, pause.code, audit.code, occurrence.code]).toEqual([0, 0, 0, 0]);
    expect(stub.received.map((r) => [r.method, r.url, r.verdict])).toEqual([
      ['PUT', '/admin/accounts/whatsapp/109876543210987', 'signed'],
      ['POST', '/admin/campaigns/weekly-deals/pause', 'signed'],
      ['GET', '/admin/audit?from=2031-06-01T00%3A00%3A00Z&limit=5', 'signed'],
      ['GET', '/admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z', 'signed'],
    ]);
    expect(JSON.parse(stub.received[0]?.body ?? '')).toEqual({ displayName: 'Shop (WhatsApp)', tokenSecret: 'afterchat/prod/tokens/whatsapp/109876543210987', timezone: 'Europe/Berlin' });
    expect(JSON.parse(pause.stdout)).toEqual(CAMPAIGN);
  });

  it('on a custom domain is signed for --region', async () => {
    const domain = 'afterchat.shop.test';
    const { code } = await runAfterchat(['accounts', 'list', '--url', `http://${domain}:${stub.port}`, '--region', 'eu-west-1'], { lookup: lookupTo127(domain) });
    expect(code).toBe(0);
    expect(stub.received.map((r) => r.verdict)).toEqual(['signed']);
  });

  it('refuses a request changed after signing, as API Gateway would', async () => {
    await deployed(['accounts', 'put', 'whatsapp', '109876543210987', '--display-name', 'Shop', '--token-secret', 'afterchat/prod/tokens/whatsapp/109876543210987', '--timezone', 'Europe/Berlin']);
    const signed = stub.received[0] as (typeof stub.received)[number];
    const replay = (body: string, path = signed.url) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: stub.port, method: signed.method, path, headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await replay(signed.body)).toBe(200);
    expect(await replay(signed.body.replace('"Shop"', '"Sh0p"'))).toBe(403);
    expect(await replay(signed.body, '/admin/accounts/whatsapp/109876543210988')).toBe(403);
    expect(stub.received.map((r) => r.verdict)).toEqual(['signed', 'signed', 'mismatch', 'mismatch']);
  });

  it('says what is wrong when the signature is refused, and exits 1', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'not-the-key-the-stack-knows';
    const { code, stdout, stderr } = await deployed(['accounts', 'list']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'afterchat: GET /admin/accounts: 403 The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        '  the AWS identity signing these requests may lack the route: attach the viewer, operator or admin policy (README "Access levels")',
        '',
      ].join('\n'),
    );
  });

  it('without credentials, says how to give some, and exits 3', async () => {
    const noCredentials = () => Promise.reject(new Error('Could not load credentials from any providers'));
    const { code, stderr } = await runAfterchat(['accounts', 'list', '--url', `http://${HOST}:${stub.port}`], { lookup: lookupTo127(HOST), credentials: noCredentials });
    expect(code).toBe(3);
    expect(stub.received).toEqual([]);
    expect(stderr).toContain(`afterchat: no AWS credentials to sign requests to http://${HOST}:${stub.port} with: Could not load credentials from any providers`);
    expect(stderr).toContain('set AWS_PROFILE');
  });
});

describe('a loopback stack', () => {
  it('gets no signature at all', async () => {
    const { code, stderr } = await runAfterchat(['accounts', 'list'], { env: { PORT: String(stub.port) } });
    expect(stub.received.map((r) => [r.url, r.verdict, r.headers.authorization])).toEqual([['/admin/accounts', 'unsigned', undefined]]);
    // The stub wants a signature, as the deployed API does: its own words come back.
    expect(code).toBe(1);
    expect(stderr).toBe('afterchat: GET /admin/accounts: 403 Forbidden\n');
  });
});

describe('the signature, against known answers', () => {
  // AWS's example credentials and time, as in its SigV4 test suite.
  const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const AMZ_DATE = '20150830T123600Z';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it.each([
    ['get-vanilla', [], '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['get-vanilla-query-order-key-case', [['Param2', 'value2'], ['Param1', 'value1']], 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  ] as const)('the reference signer gives the AWS test suite’s answer for %s', (_name, query, signature) => {
    // Act
    const computed = sigV4({
      method: 'GET',
      path: '/',
      query,
      headers: { host: 'example.amazonaws.com', 'x-amz-date': AMZ_DATE },
      signedHeaders: ['host', 'x-amz-date'],
      body: '',
      amzDate: AMZ_DATE,
      region: 'us-east-1',
      service: 'service',
      secretAccessKey: EXAMPLE.secretAccessKey,
    });

    // Assess
    expect(computed.signature).toBe(signature);
  });

  it.each([
    ['a write with its body', 'PUT', '/admin/accounts/whatsapp/109876543210987', {}, '{"displayName":"Shop (WhatsApp)","timezone":"Europe/Berlin"}'],
    ['a read with a query and an encoded segment', 'GET', '/admin/campaigns/weekly-deals/occurrences/2031-06-02T08%3A00%3A00.000Z', { limit: '5', from: '2031-06-01T00:00:00Z' }, undefined],
  ] as const)('the CLI signs %s as the specification computes it, covering host, time and payload', async (_name, method, path, query, body) => {
    // Prepare
    const host = 'abc123.execute-api.us-east-1.amazonaws.com';
    const headers: Record<string, string> = {
      host,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
    };
    const sign = createSigner({ region: 'us-east-1', url: `https://${host}/admin`, credentials: () => Promise.resolve(EXAMPLE), now: () => Date.parse('2015-08-30T12:36:00Z') });

    // Act
    const signed = await sign({ method, protocol: 'https:', hostname: host, path, query: { ...query }, headers: { ...headers }, body });

    // Assess
    const signedHeaders = ['accept', ...(body === undefined ? [] : ['content-length', 'content-type']), 'host', 'x-amz-content-sha256', 'x-amz-date'];
    const expected = sigV4({
      method,
      path,
      query: Object.entries(query),
      headers: { ...headers, 'x-amz-date': AMZ_DATE, 'x-amz-content-sha256': sha256(body ?? '') },
      signedHeaders,
      body: body ?? '',
      amzDate: AMZ_DATE,
      region: 'us-east-1',
      service: 'execute-api',
      secretAccessKey: EXAMPLE.secretAccessKey,
    });
    expect(/SignedHeaders=([^,]+)/.exec(String(signed.headers.authorization))?.[1]?.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-content-sha256']));
    expect(signed.headers['x-amz-date']).toBe(AMZ_DATE);
    expect(signed.headers['x-amz-content-sha256']).toBe(sha256(body ?? ''));
    expect(signed.headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${expected.signature}`,
    );
  });
});
