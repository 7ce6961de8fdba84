/**
 * Interface under test: tracking links on the local stack (README "Clicks"). A campaign with
 * `tracking` is dispatched: its text's links become `GET /r/{token}` links of each recipient's
 * outbox record, which stores their targets (with UTM). Then the redirect over HTTP: a forged link
 * 403, an expired one 410, a target the message didn't carry 404, none redirecting or counting; a
 * preview agent's fetch around delivery redirects without counting; a person's clicks count once.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambdas/adapters/dynamodb/client';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { GSI2, outboxKey, personPk } from '../../lambdas/adapters/dynamodb/keys';
import { signTrackedLink } from '../../lambdas/domain/clicks/tracking-token';
import type { Campaign } from '../../lambdas/schemas/campaign';
import { type CampaignStack, minutesAfter, startCampaignStack } from '../helpers/campaign-stack';
import { PHONE } from '../helpers/sample-ids';

const DAY = 86_400_000;
const WA = ['4915100000301', '4915100000302'];
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';

const campaign = (at: string): Campaign => ({
  id: 'advent-deals',
  name: 'Advent deals',
  accounts: [{ channel: 'whatsapp', accountId: PHONE }],
  audience: {},
  content: { type: 'text', text: 'Heute: https://shop.example/advent und https://shop.example/neu?ref=chat. Bis bald!' },
  kind: 'utility',
  schedule: { kind: 'once', at },
  status: 'draft',
  tracking: { utm: { source: 'whatsapp', medium: 'chat', campaign: 'advent' } },
});

describe('click tracking on the local stack', () => {
  let stack: CampaignStack;
  const client = documentClient({ endpoint: process.env.DDB_ENDPOINT, region: 'local' });
  afterAll(async () => {
    client.destroy();
    await stack?.close();
  });

  const follow = (link: string, userAgent = BROWSER) => fetch(link, { redirect: 'manual', headers: { 'user-agent': userAgent } });
  const clickItems = async (userId: string) =>
    (
      await client.send(
        new QueryCommand({
          TableName: stack.tableName,
          IndexName: GSI2.name,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :click)',
          ExpressionAttributeNames: { '#pk': GSI2.pk, '#sk': GSI2.sk },
          ExpressionAttributeValues: { ':pk': personPk({ channel: 'whatsapp', accountId: PHONE, userId }), ':click': 'CLICK#' },
        }),
      )
    ).Items ?? [];
  const clickedFlag = async (outboxId: string) => (await client.send(new GetCommand({ TableName: stack.tableName, Key: outboxKey(outboxId), ConsistentRead: true }))).Item?.fm_clicked as number | undefined;

  it('rewrites a campaign’s links, refuses forged, expired and foreign links without counting, and counts a person’s clicks once', async () => {
    // Prepare: two contacts inside their window, a one-off text campaign with tracking, dispatched
    stack = await startCampaignStack();
    await stack.seedWhatsApp(WA, stack.now.value - 3_600_000);
    const at = minutesAfter(stack.now.value, 2);
    await stack.schedule(campaign(at));
    stack.now.value = Date.parse(at) + 1_000;
    await stack.campaigns.invoke({ campaignId: 'advent-deals', firingAt: at });
    expect(await stack.settled('advent-deals', at)).toMatchObject({ counts: { enqueued: 2 } });
    const outbox = new DynamoDbOutbox(client, stack.tableName);
    const { outboxIds } = await outbox.listGroup(`advent-deals#${at}`, undefined, 10);
    const records = await outbox.getMany(outboxIds);
    expect(records).toHaveLength(2);
    const [record, other] = records as [(typeof records)[number], (typeof records)[number]];
    const text = record.intent.content.type === 'text' ? record.intent.content.text : '';
    const links = [...text.matchAll(/http:\/\/127\.0\.0\.1:\d+\/r\/[\w.-]+?(?=\.? |\. |$)/g)].map((m) => m[0]);
    expect(links).toHaveLength(2);
    expect(text).toBe(`Heute: ${links[0]} und ${links[1]}. Bis bald!`);
    expect(record.links).toEqual([
      'https://shop.example/advent?utm_source=whatsapp&utm_medium=chat&utm_campaign=advent',
      'https://shop.example/neu?ref=chat&utm_source=whatsapp&utm_medium=chat&utm_campaign=advent',
    ]);
    const [first, second] = links as [string, string];
    const token = first.slice(first.lastIndexOf('/') + 1);
    const base = first.slice(0, first.lastIndexOf('/') + 1);

    // Act + Assess: refused links, none redirecting or counting
    const forged = await follow(`${base}${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`);
    const otherKey = await follow(`${base}${signTrackedLink({ outboxId: record.outboxId, target: 0, expiresAt: stack.now.value + DAY }, 'not-the-key')}`);
    const foreign = await follow(`${base}${signTrackedLink({ outboxId: record.outboxId, target: 7, expiresAt: stack.now.value + DAY }, 'local-tracking-key')}`);
    const otherMessage = await follow(`${base}${signTrackedLink({ outboxId: other.outboxId, target: 2, expiresAt: stack.now.value + DAY }, 'local-tracking-key')}`);
    const realNow = stack.now.value;
    stack.now.value = realNow + 31 * DAY;
    const expired = await follow(first);
    stack.now.value = realNow;
    expect([forged, otherKey, expired, foreign, otherMessage].map((r) => r.status)).toEqual([403, 403, 410, 404, 404]);
    for (const refused of [forged, otherKey, expired, foreign, otherMessage]) expect(refused.headers.get('location')).toBeNull();
    // A preview agent fetching the link as the message goes out: redirected, not counted.
    const preview = await follow(first, 'WhatsApp/2.24.24.78 A');
    expect(preview.status).toBe(302);
    expect(preview.headers.get('location')).toBe(record.links?.[0]);
    expect(await clickedFlag(record.outboxId)).toBeUndefined();
    expect(await clickItems(record.intent.userId)).toEqual([]);

    // A person clicks both links, the first twice: redirected each time, the message clicked once.
    stack.now.value += 60_000;
    const clicks = [await follow(first), await follow(second)];
    stack.now.value += 60_000;
    clicks.push(await follow(first));
    expect(clicks.map((c) => [c.status, c.headers.get('location')])).toEqual([
      [302, record.links?.[0]],
      [302, record.links?.[1]],
      [302, record.links?.[0]],
    ]);
    expect(await clickedFlag(record.outboxId)).toBe(realNow + 60_000);
    // The person index is keys only: each entry names its click item, whose sort key ends in what was clicked.
    expect((await clickItems(record.intent.userId)).map((i) => String(i.sk).split('#').pop()).sort()).toEqual(['link0', 'link0', 'link1']);
    // The other recipient's message was never clicked.
    expect(await clickedFlag(other.outboxId)).toBeUndefined();
  }, 60_000);
});
