/**
 * Interface under test: the campaign service (createCampaignService) over in-memory fakes of its
 * ports: what put, schedule, pause, resume and remove allow, what they store, and which calls reach
 * the scheduler and the dispatch queue.
 */
import { CampaignError, createCampaignService } from '../../../lambdas/campaign/campaign-service';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import { loadEvent } from '../../helpers/events';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts } from '../../helpers/recording-store';
import { PAGE, PSID } from '../../helpers/sample-ids';
import {
  FixedAudience,
  type Journal,
  MemoryCampaignStore,
  MemoryOccurrenceStore,
  PeopleStore,
  RecordingDispatchQueue,
  RecordingScheduler,
  occurrence,
  ruleNameOf,
} from './fakes';

const at = (iso: string): number => Date.parse(iso);
/** A week before Black Friday's send. */
const NOW = at('2026-11-20T12:00:00Z');

/** The sample one-off Messenger campaign (a marketing message to the "deals" topic), as a draft, on this test's Black Friday (the sample's is far ahead). */
const blackFriday = (over: Partial<Campaign> = {}): Campaign => ({
  ...loadEvent<Campaign>('campaigns/black-friday-once.json'),
  schedule: { kind: 'once', at: '2026-11-27T09:00:00Z' },
  status: 'draft',
  ...over,
});
const ID = 'black-friday';

/** A Messenger subscriber to "deals" who has not written lately: reachable only by a paid marketing message. */
const subscriber: ContactRecord = {
  channel: 'messenger',
  accountId: PAGE,
  userId: PSID,
  state: {},
  optIns: [{ token: 'optin-token-1', topic: 'deals', title: 'deals', status: 'active', optedInAt: at('2026-10-01T00:00:00Z') }],
};

const setup = (options: { audience?: string[]; people?: ContactRecord[]; occurrences?: Parameters<typeof occurrence>[] } = {}) => {
  const journal: Journal = [];
  const time = { now: NOW };
  const campaigns = new MemoryCampaignStore(journal);
  const scheduler = new RecordingScheduler(journal);
  const continuations = new RecordingDispatchQueue();
  const audience = new FixedAudience(options.audience ?? []);
  const service = createCampaignService({
    campaigns,
    occurrences: new MemoryOccurrenceStore((options.occurrences ?? []).map((args) => occurrence(...args))),
    audience,
    store: new PeopleStore(options.people ?? []),
    // A US business: Meta offers it the Marketing Message API.
    accounts: new FixedAccounts([{ channel: 'messenger', accountId: PAGE, displayName: 'Sample Shop', tokenSecret: 't', timezone: 'America/New_York', country: 'US' }]),
    outbox: new MemoryOutbox(),
    continuations,
    clock: () => time.now,
    scheduler,
  });
  return { service, campaigns, scheduler, continuations, audience, journal, time };
};

/** The refusal a call ends with, to check its status and message together. */
const refusal = async (promise: Promise<unknown>): Promise<CampaignError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CampaignError)) throw new Error(`expected a CampaignError, got ${String(error)}`);
  return error;
};

describe('campaign service: put', () => {
  it('creates a new campaign as a draft, without a rule', async () => {
    const { service, campaigns, scheduler } = setup();
    const { created, stored } = await service.put(blackFriday());
    expect(created).toBe(true);
    expect(stored).toMatchObject({ campaign: blackFriday(), createdAt: NOW, updatedAt: NOW });
    expect((await campaigns.get(ID))?.campaign.status).toBe('draft');
    expect(scheduler.calls).toEqual([]);
  });

  it.each(['scheduled', 'running', 'paused', 'done'] as const)('refuses a new campaign that is %s with 409, storing nothing', async (status) => {
    const { service, campaigns, scheduler } = setup();
    const error = await refusal(service.put(blackFriday({ status })));
    expect(error.status).toBe(409);
    expect(error.message).toContain("starts as 'draft'");
    expect(error.details).toEqual({ status });
    expect(await campaigns.get(ID)).toBeUndefined();
    expect(scheduler.calls).toEqual([]);
  });

  it('replaces a draft’s definition, without a rule', async () => {
    const { service, campaigns, scheduler, time } = setup();
    await service.put(blackFriday());
    time.now += 60_000;
    const { created, stored } = await service.put(blackFriday({ name: 'Black Friday 2026, v2' }));
    expect(created).toBe(false);
    expect(stored).toMatchObject({ campaign: { name: 'Black Friday 2026, v2' }, createdAt: NOW, updatedAt: NOW + 60_000 });
    expect((await campaigns.get(ID))?.campaign.name).toBe('Black Friday 2026, v2');
    expect(scheduler.calls).toEqual([]);
  });

  it('refuses a body whose status differs from the stored one, naming the stored status', async () => {
    const { service, campaigns } = setup();
    campaigns.seed(blackFriday({ status: 'scheduled' }), NOW, ruleNameOf(ID));
    const error = await refusal(service.put(blackFriday({ status: 'paused', name: 'Sneaky pause' })));
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ status: 'scheduled' });
    expect(await campaigns.get(ID)).toMatchObject({ campaign: { status: 'scheduled', name: blackFriday().name } });
  });

  it('refuses to edit a done campaign', async () => {
    const { service, campaigns, scheduler } = setup();
    campaigns.seed(blackFriday({ status: 'done' }));
    const error = await refusal(service.put(blackFriday({ status: 'done', name: 'Black Friday again' })));
    expect(error.status).toBe(409);
    expect(error.message).toContain('done');
    expect((await campaigns.get(ID))?.campaign.name).toBe(blackFriday().name);
    expect(scheduler.calls).toEqual([]);
  });

  it('puts the rule again when a scheduled campaign’s schedule changes, after storing the new definition', async () => {
    const { service, campaigns, scheduler, journal } = setup();
    campaigns.seed(blackFriday({ status: 'scheduled' }), NOW, ruleNameOf(ID));
    const later = { kind: 'once' as const, at: '2026-11-27T10:00:00Z' };
    await service.put(blackFriday({ status: 'scheduled', schedule: later }));
    expect(scheduler.calls).toEqual([{ method: 'schedule', campaign: expect.objectContaining({ id: ID, status: 'scheduled', schedule: later }) as unknown }]);
    expect(journal).toEqual([`campaigns.put ${ID}`, `scheduler.schedule ${ID}`]);
    expect(await campaigns.get(ID)).toMatchObject({ campaign: { schedule: later }, ruleName: ruleNameOf(ID) });
  });

  it('puts a paused campaign’s rule again as paused, so the scheduler keeps it disabled', async () => {
    const { service, campaigns, scheduler } = setup();
    campaigns.seed(blackFriday({ status: 'paused' }), NOW, ruleNameOf(ID));
    await service.put(blackFriday({ status: 'paused', name: 'Black Friday (edited while paused)' }));
    expect(scheduler.calls).toEqual([{ method: 'schedule', campaign: expect.objectContaining({ status: 'paused' }) as unknown }]);
  });
});

describe('campaign service: schedule', () => {
  it('puts the rule and marks the campaign scheduled with the rule’s name', async () => {
    const { service, campaigns, scheduler, journal } = setup();
    await service.put(blackFriday());
    const { stored, preview } = await service.schedule(ID);
    expect(scheduler.calls).toEqual([{ method: 'schedule', campaign: expect.objectContaining({ id: ID, status: 'scheduled' }) as unknown }]);
    expect(journal.slice(-2)).toEqual([`scheduler.schedule ${ID}`, `campaigns.setStatus ${ID} scheduled`]);
    expect(stored).toMatchObject({ campaign: { status: 'scheduled' }, ruleName: ruleNameOf(ID) });
    expect(await campaigns.get(ID)).toMatchObject({ campaign: { status: 'scheduled' }, ruleName: ruleNameOf(ID) });
    expect(preview).toMatchObject({ campaignId: ID, firstSendAt: '2026-11-27T09:00:00.000Z', audience: 0, eligible: 0, overCostCap: false, complete: true });
  });

  it('answers 404 for a campaign that does not exist', async () => {
    const { service, scheduler } = setup();
    const error = await refusal(service.schedule('no-such-campaign'));
    expect(error.status).toBe(404);
    expect(error.details).toEqual({ campaignId: 'no-such-campaign' });
    expect(scheduler.calls).toEqual([]);
  });

  it.each(['scheduled', 'running', 'paused', 'done'] as const)('refuses a campaign that is %s: only a draft can be scheduled', async (status) => {
    const { service, campaigns, scheduler } = setup();
    campaigns.seed(blackFriday({ status }));
    const error = await refusal(service.schedule(ID));
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ status });
    expect(scheduler.calls).toEqual([]);
  });

  it('refuses a one-off campaign whose time has passed, up to its very minute', async () => {
    const { service, campaigns, scheduler, time } = setup();
    await service.put(blackFriday());
    time.now = at('2026-11-27T09:00:00Z');
    const error = await refusal(service.schedule(ID));
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ at: '2026-11-27T09:00:00Z' });
    expect(scheduler.calls).toEqual([]);
    expect((await campaigns.get(ID))?.campaign.status).toBe('draft');

    time.now = at('2026-11-27T08:59:59Z');
    await expect(service.schedule(ID)).resolves.toMatchObject({ stored: { campaign: { status: 'scheduled' } } });
  });

  it('refuses a campaign whose estimate is over its cost cap: a Messenger marketing message has no known price', async () => {
    const { service, campaigns, scheduler, audience } = setup({ audience: [PSID], people: [subscriber] });
    await service.put(blackFriday({ caps: { maxRecipients: 20_000, maxCostEur: 500 } }));
    const error = await refusal(service.schedule(ID));
    expect(error.status).toBe(409);
    expect(error.message).toContain('caps.maxCostEur');
    expect(error.details.preview).toMatchObject({
      audience: 1,
      eligible: 1,
      eligibleByRoute: { 'messenger.marketing_message': 1 },
      estimate: { unpriced: 1 },
      overCostCap: true,
    });
    expect(audience.queries).toEqual([{ channel: 'messenger', accountId: PAGE, segment: { kind: 'topic', topic: 'deals' } }]);
    expect(scheduler.calls).toEqual([]);
    expect((await campaigns.get(ID))?.campaign.status).toBe('draft');
  });

  it('refuses a cost-capped campaign whose audience could not be read within the preview budget', async () => {
    const { service, scheduler, time } = setup({ audience: [PSID], people: [subscriber] });
    await service.put(blackFriday({ content: { type: 'text', text: 'hi' }, kind: 'utility', caps: { maxCostEur: 500 } }));
    // Each read of the clock is 25 s later: the 20 s budget is gone before the first page.
    let t = NOW;
    Object.defineProperty(time, 'now', { get: () => (t += 25_000) });
    const error = await refusal(service.schedule(ID));
    expect(error.status).toBe(409);
    expect(error.details.preview).toMatchObject({ complete: false, audience: 0, overCostCap: false });
    expect(scheduler.calls).toEqual([]);
  });

  it('schedules the same audience when the campaign sets no cost cap', async () => {
    const { service } = setup({ audience: [PSID], people: [subscriber] });
    await service.put(blackFriday());
    const { preview } = await service.schedule(ID);
    expect(preview).toMatchObject({ eligible: 1, overCostCap: false });
  });
});

describe('campaign service: pause and resume', () => {
  it('pauses a scheduled campaign and its rule', async () => {
    const { service, campaigns, scheduler } = setup();
    campaigns.seed(blackFriday({ status: 'scheduled' }), NOW, ruleNameOf(ID));
    const stored = await service.pause(ID);
    expect(stored.campaign.status).toBe('paused');
    expect((await campaigns.get(ID))?.campaign.status).toBe('paused');
    expect(scheduler.calls).toEqual([{ method: 'pause', campaignId: ID }]);
  });

  it('pauses a running campaign', async () => {
    const { service, campaigns } = setup();
    campaigns.seed(blackFriday({ status: 'running' }), NOW, ruleNameOf(ID));
    expect((await service.pause(ID)).campaign.status).toBe('paused');
  });

  it.each(['draft', 'paused', 'done'] as const)('refuses to pause a campaign that is %s, naming its status', async (status) => {
    const { service, campaigns, scheduler } = setup();
    campaigns.seed(blackFriday({ status }));
    const error = await refusal(service.pause(ID));
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ status });
    expect(scheduler.calls).toEqual([]);
  });

  it('answers 404 when pausing or resuming a campaign that does not exist', async () => {
    const { service } = setup();
    expect((await refusal(service.pause('no-such-campaign'))).status).toBe(404);
    expect((await refusal(service.resume('no-such-campaign'))).status).toBe(404);
  });

  it('resumes a campaign that never fired as scheduled, and its rule, continuing nothing', async () => {
    const { service, campaigns, scheduler, continuations } = setup();
    campaigns.seed(blackFriday({ status: 'paused' }), NOW, ruleNameOf(ID));
    const { stored, resumedOccurrences } = await service.resume(ID);
    expect(stored.campaign.status).toBe('scheduled');
    expect(resumedOccurrences).toEqual([]);
    expect(scheduler.calls).toEqual([{ method: 'resume', campaignId: ID }]);
    expect(continuations.messages).toEqual([]);
  });

  it('resumes a campaign that has fired as running, and sends a continuation for each occurrence the pause or a lost worker stopped', async () => {
    const { service, campaigns, scheduler, continuations } = setup({
      occurrences: [
        ['weekly-deals', '2026-11-09T10:00:00.000Z', { status: 'done' }],
        ['weekly-deals', '2026-11-16T10:00:00.000Z', { status: 'paused', cursor: '{"source":0,"cursor":"abc"}' }],
        ['weekly-deals', '2026-11-02T10:00:00.000Z', { status: 'paused' }],
        // A worker that stopped without handing over: its lease ran out.
        ['weekly-deals', '2026-10-26T10:00:00.000Z', { status: 'running', leaseUntil: NOW - 1 }],
        // A worker still at it: left alone.
        ['weekly-deals', '2026-10-19T10:00:00.000Z', { status: 'running', leaseUntil: NOW + 30_000 }],
        ['other-campaign', '2026-11-16T10:00:00.000Z', { status: 'paused' }],
      ],
    });
    const weekly = blackFriday({ id: 'weekly-deals', schedule: { kind: 'recurring', expression: 'cron(0 10 ? * MON *)' }, status: 'paused' });
    campaigns.seed(weekly, NOW, ruleNameOf('weekly-deals'));

    const { stored, resumedOccurrences } = await service.resume('weekly-deals');

    expect(stored.campaign.status).toBe('running');
    expect(scheduler.calls).toEqual([{ method: 'resume', campaignId: 'weekly-deals' }]);
    expect(resumedOccurrences.sort()).toEqual(['2026-10-26T10:00:00.000Z', '2026-11-02T10:00:00.000Z', '2026-11-16T10:00:00.000Z']);
    expect(continuations.messages.map((m) => m.message).sort((a, b) => a.occurrenceKey.localeCompare(b.occurrenceKey))).toEqual([
      { campaignId: 'weekly-deals', occurrenceKey: '2026-10-26T10:00:00.000Z' },
      { campaignId: 'weekly-deals', occurrenceKey: '2026-11-02T10:00:00.000Z' },
      { campaignId: 'weekly-deals', occurrenceKey: '2026-11-16T10:00:00.000Z' },
    ]);
  });

  it.each(['draft', 'scheduled', 'running', 'done'] as const)('refuses to resume a campaign that is %s, sending no continuation', async (status) => {
    const { service, campaigns, scheduler, continuations } = setup({ occurrences: [[ID, '2026-11-27T09:00:00.000Z', { status: 'paused' }]] });
    campaigns.seed(blackFriday({ status }));
    const error = await refusal(service.resume(ID));
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ status });
    expect(scheduler.calls).toEqual([]);
    expect(continuations.messages).toEqual([]);
  });
});

describe('campaign service: remove', () => {
  it('removes the rule before the definition, so nothing fires without one', async () => {
    const { service, campaigns, journal } = setup();
    campaigns.seed(blackFriday({ status: 'scheduled' }), NOW, ruleNameOf(ID));
    await service.remove(ID);
    expect(journal).toEqual([`scheduler.remove ${ID}`, `campaigns.delete ${ID}`]);
    expect(await campaigns.get(ID)).toBeUndefined();
  });

  it('answers 404 for a campaign that does not exist, touching no rule', async () => {
    const { service, scheduler, journal } = setup();
    const error = await refusal(service.remove('no-such-campaign'));
    expect(error.status).toBe(404);
    expect(scheduler.calls).toEqual([]);
    expect(journal).toEqual([]);
  });
});
