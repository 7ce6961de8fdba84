/**
 * Interface under test: the local stack's admin API (`POST /admin/campaigns/{id}/occurrences/
 * {occurrenceKey}/follow-up`, the follow-up's preview) over a campaign the sender really sent through
 * the Meta simulator, some of whose messages Meta failed with 131049 (its per-person marketing limit).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAudienceIndex } from '../../lambdas/adapters/dynamodb/audience-index';
import { DynamoDbOutbox } from '../../lambdas/adapters/dynamodb/outbox';
import { DynamoDbStateStore } from '../../lambdas/adapters/dynamodb/state-store';
import { pageAudience } from '../../lambdas/campaign/follow-up-audience';
import type { FollowUpState } from '../../lambdas/domain/campaign/follow-up-state';
import { PHONE } from '../helpers/sample-ids';
import { type SendingStack, startSendingStack } from '../helpers/sending-stack';
import { adminCaller } from '../helpers/admin-contract';
import { approveMarketingTemplate, fireCampaign, onceAt, writtenADayAgo } from '../helpers/sent-campaign';

const HOUR = 3_600_000;

const PEOPLE = Array.from({ length: 10 }, (_, i) => `49151000007${String(i).padStart(2, '0')}`);
const LIMITED = PEOPLE.slice(0, 4);

describe('a follow-up campaign to the recipients Meta limited', () => {
  let stack: SendingStack;
  let occurrenceKey = '';

  // Contract-checked: every admin answer is held to lambdas/admin/contract/.
  const call = adminCaller(() => stack.url);
  const campaign = (id: string, at: number) => ({
    id,
    name: id,
    accounts: [{ channel: 'whatsapp', accountId: PHONE }],
    audience: {},
    content: { type: 'template', name: 'spring_sale', language: 'de' },
    kind: 'marketing',
    schedule: onceAt(at),
    status: 'draft',
  });
  /** The follow-up's audience as the dispatcher reads it, straight from the table. */
  const audienceOf = async (state: FollowUpState): Promise<string[]> => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DDB_ENDPOINT, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }));
    const deps = { audience: new DynamoDbAudienceIndex(doc, stack.tableName), outbox: new DynamoDbOutbox(doc, stack.tableName), store: new DynamoDbStateStore(doc, { tableName: stack.tableName }) };
    const query = { channel: 'whatsapp' as const, accountId: PHONE, segment: { kind: 'all' as const }, followUp: { campaignId: 'spring', occurrenceKey, state } };
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await pageAudience(deps, query, cursor, 3);
      found.push(...page.userIds);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return found.sort();
  };

  beforeAll(async () => {
    stack = await startSendingStack();
    expect(await approveMarketingTemplate(stack, { name: 'spring_sale', language: 'de' })).toBe(200);
    await writtenADayAgo(stack, { people: PEOPLE, limited: LIMITED });
    occurrenceKey = await fireCampaign(stack, campaign('spring', stack.now() + HOUR));
  }, 300_000);
  afterAll(async () => {
    await stack.close();
  });

  it('holds exactly the limited recipients, and they are eligible once Meta’s 24 h limit has passed', async () => {
    expect(await audienceOf('limited_by_meta')).toEqual([...LIMITED].sort());
    expect(await audienceOf('failed')).toEqual([]);
    // The simulator delivered and read the others' messages.
    expect(await audienceOf('read_not_clicked')).toEqual(PEOPLE.slice(LIMITED.length));

    const followUp = await call('POST', `/admin/campaigns/spring/occurrences/${encodeURIComponent(occurrenceKey)}/follow-up`, {
      state: 'limited_by_meta',
      campaign: campaign('spring-retry', stack.now() + 25 * HOUR),
    });
    expect(followUp).toMatchObject({ status: 201, body: { id: 'spring-retry', status: 'draft', followUp: { campaignId: 'spring', occurrenceKey, state: 'limited_by_meta' } } });

    const preview = await call('POST', '/admin/campaigns/spring-retry/preview');
    expect(preview).toMatchObject({ status: 200, body: { audience: LIMITED.length, eligible: LIMITED.length, complete: true } });
  });

  it('a follow-up sent an hour after the limit would be refused by the policy until it has passed', async () => {
    const early = await call('POST', `/admin/campaigns/spring/occurrences/${encodeURIComponent(occurrenceKey)}/follow-up`, {
      state: 'limited_by_meta',
      campaign: campaign('spring-too-soon', stack.now() + HOUR),
    });
    expect(early.status).toBe(201);
    const preview = await call('POST', '/admin/campaigns/spring-too-soon/preview');
    expect(preview).toMatchObject({ status: 200, body: { audience: LIMITED.length, eligible: 0, skipped: { marketing_limit_backoff: LIMITED.length } } });
  });

  it('keeps a follow-up’s audience through a PUT of its definition, and refuses another occurrence’s id or a recurring schedule', async () => {
    // A definition without `followUp`, as an operator might send it.
    const put = await call('PUT', '/admin/campaigns/spring-retry', { ...campaign('spring-retry', stack.now() + 25 * HOUR), name: 'Spring, again' });
    expect(put).toMatchObject({ status: 200, body: { name: 'Spring, again', followUp: { state: 'limited_by_meta' } } });

    const path = `/admin/campaigns/spring/occurrences/${encodeURIComponent(occurrenceKey)}/follow-up`;
    expect((await call('POST', path, { state: 'not_read', campaign: campaign('spring', stack.now() + 25 * HOUR) })).status).toBe(400);
    expect((await call('POST', path, { state: 'not_read', campaign: { ...campaign('spring-weekly', stack.now()), schedule: { kind: 'recurring', expression: 'cron(0 8 ? * MON *)' } } })).status).toBe(400);
    expect((await call('POST', path, { state: 'not_read', campaign: campaign('spring-retry', stack.now() + 25 * HOUR) })).status).toBe(409);
    expect((await call('POST', '/admin/campaigns/spring/occurrences/2026-01-01T00:00:00.000Z/follow-up', { state: 'not_read', campaign: campaign('spring-nowhere', stack.now() + HOUR) })).status).toBe(404);
  });

  it('fires as a campaign of its own: once the limit has passed, exactly the limited recipients get a job', async () => {
    expect((await call('POST', '/admin/campaigns/spring-retry/schedule')).status).toBe(200);
    stack.advance(25 * HOUR);
    const fired = await call('POST', '/local/rules/spring-retry/fire');
    expect(fired.status).toBe(200);
    const shown = await call('GET', `/admin/campaigns/spring-retry/occurrences/${encodeURIComponent(String(fired.body.occurrenceKey))}`);
    expect(shown).toMatchObject({ status: 200, body: { counts: { audience: LIMITED.length, enqueued: LIMITED.length } } });
  });
});
