/** `POST /local/rules/{campaignId}/fire`: a campaign's rule fires now on the local stack, as its target would be invoked at a fire time. */
import { fireRuleRoute } from '../../../lambdas/local/fire-rule-route';
import type { LocalRule } from '../../../lambdas/local/local-scheduler';
import type { CampaignFiring } from '../../../lambdas/ports/campaign-scheduler';
import type { StoredCampaign } from '../../../lambdas/ports/campaign-store';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import { loadEvent } from '../../helpers/events';
import { httpEvent } from '../../helpers/api-gateway-event';

const NOW = Date.parse('2031-06-02T10:07:31.250Z');
const weekly = loadEvent<Campaign>('campaigns/weekly-deals-recurring.json');
const morning = loadEvent<Campaign>('campaigns/morning-local-time.json');
const rule = (campaignId: string, enabled = true): LocalRule => ({ campaignId, ruleName: `afterchat-local-campaign-${campaignId}`, expression: 'cron(0 8 ? * MON *)', enabled, nextFireAt: null });

const setup = (rules: LocalRule[], outcome: unknown = { outcome: 'done' }) => {
  const invoked: CampaignFiring[] = [];
  const stored = new Map<string, StoredCampaign>(
    [weekly, morning].map((campaign) => [campaign.id, { campaign: { ...campaign, status: 'scheduled' }, version: 1, createdAt: NOW, updatedAt: NOW }]),
  );
  const fire = (campaignId: string) =>
    fireRuleRoute(
      {
        rules: () => rules,
        campaigns: { get: (id) => Promise.resolve(stored.get(id)) },
        invoke: (firing) => {
          invoked.push(firing);
          return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
        },
        clock: () => NOW,
      },
      httpEvent({ method: 'POST', path: `/local/rules/${campaignId}/fire` }),
    );
  return { fire, invoked };
};

const body = (result: { body?: string }) => JSON.parse(result.body ?? '') as unknown;

describe('firing a local rule now', () => {
  it('invokes the dispatcher as the rule would, and answers the occurrence that firing keys', async () => {
    const { fire, invoked } = setup([rule('weekly-deals')]);
    const result = await fire('weekly-deals');
    expect(invoked).toEqual([{ campaignId: 'weekly-deals', firingAt: '2031-06-02T10:07:31.250Z' }]);
    expect(result.statusCode).toBe(200);
    expect(body(result)).toEqual({ campaignId: 'weekly-deals', firingAt: '2031-06-02T10:07:31.250Z', occurrenceKey: '2031-06-02T10:07:00.000Z', outcome: 'done' });
  });

  it('keys a local-time campaign on its quarter hour, as the dispatcher does', async () => {
    const { fire } = setup([rule('morning-opening-hours')]);
    expect(body(await fire('morning-opening-hours'))).toMatchObject({ occurrenceKey: '2031-06-02T10:00:00.000Z' });
  });

  it('refuses a campaign without a rule (a draft) and a paused one, invoking nothing', async () => {
    const { fire, invoked } = setup([rule('weekly-deals', false)]);
    const draft = await fire('morning-opening-hours');
    const paused = await fire('weekly-deals');
    expect([draft.statusCode, body(draft)]).toEqual([404, { error: 'no local rule for this campaign: schedule it first', detail: { campaignId: 'morning-opening-hours' } }]);
    expect([paused.statusCode, body(paused)]).toEqual([409, { error: 'the campaign is paused: resume it first', detail: { campaignId: 'weekly-deals' } }]);
    expect(invoked).toEqual([]);
  });

  it('answers 502 with the reason when the dispatcher fails, as the local business bus does', async () => {
    const { fire } = setup([rule('weekly-deals')], new Error('table unavailable'));
    const result = await fire('weekly-deals');
    expect([result.statusCode, body(result)]).toEqual([502, { error: 'the dispatcher failed on the firing', detail: { message: 'table unavailable' } }]);
  });
});
