/** Interface under test: planDispatch(members, ctx) and estimatePlanCost(plan, atMs), the dispatcher's pure planning step. */
import { LOCAL_TIME_FIRING_INTERVAL_MS } from '../../../../lambdas/domain/campaign/local-time';
import {
  estimatePlanCost,
  planDispatch,
  type AudienceMember,
  type DispatchContext,
  type DispatchPlan,
} from '../../../../lambdas/domain/campaign/plan-dispatch';
import { ledgerKeyOf } from '../../../../lambdas/domain/campaign/ledger-key';
import type { Campaign } from '../../../../lambdas/schemas/campaign';
import type { ContactPolicyState } from '../../../../lambdas/domain/send/policy-types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
/** Monday 18 May 2026, 10:00 UTC: 12:00 in Berlin. */
const FIRING = at('2026-05-18T10:00:00Z');
const OCCURRENCE = `weekly-deals#${new Date(FIRING).toISOString()}`;
const WA = '100200300';
const PAGE = '400500600';

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'weekly-deals',
  name: 'Weekly deals',
  accounts: [{ channel: 'whatsapp', accountId: WA }],
  audience: {},
  content: {
    type: 'template',
    name: 'spring_sale',
    language: 'en',
    parameters: [{ name: 'first_name', fromAttribute: 'first_name', value: 'there' }],
  },
  kind: 'marketing',
  schedule: { kind: 'recurring', expression: 'cron(0 10 ? * MON *)' },
  status: 'running',
  ...over,
});

const inWindow = (now = FIRING): ContactPolicyState => ({ optIns: [], lastInboundAt: now - HOUR, lastMessageAt: now - HOUR, openedBy: 'message' });
const outOfWindow = (now = FIRING): ContactPolicyState => ({ optIns: [], lastInboundAt: now - 3 * DAY, lastMessageAt: now - 3 * DAY, openedBy: 'message' });

const member = (userId: string, over: Partial<AudienceMember> = {}): AudienceMember => ({
  channel: 'whatsapp',
  accountId: WA,
  userId,
  attributes: {},
  tags: [],
  marketingLedger: [],
  contact: outOfWindow(),
  ...over,
});

const context = (over: Partial<DispatchContext> = {}): DispatchContext => ({
  campaign: campaign(),
  firingAtMs: FIRING,
  occurrenceId: OCCURRENCE,
  accounts: {
    [`whatsapp#${WA}`]: {
      state: {
        channel: 'whatsapp',
        accountId: WA,
        templates: {
          'spring_sale#en': { status: 'APPROVED', category: 'MARKETING' },
          'order_ready#en': { status: 'APPROVED', category: 'UTILITY' },
        },
      },
      timeZone: 'Europe/Berlin',
    },
  },
  now: FIRING + 2_000,
  ...over,
});

const keys = (plan: DispatchPlan): string[] => plan.sends.map((send) => send.idempotencyKey);

describe('planDispatch: a recurring campaign', () => {
  it('plans one send per eligible contact, keyed by the occurrence, with parameters from their attributes', () => {
    const plan = planDispatch(
      [member('4915100000001', { attributes: { first_name: 'Ada' } }), member('4915100000002'), member('4915100000003', { channel: 'messenger', accountId: PAGE })],
      context(),
    );
    expect(keys(plan)).toEqual([`${OCCURRENCE}#whatsapp#${WA}#4915100000001`, `${OCCURRENCE}#whatsapp#${WA}#4915100000002`]);
    expect(plan.skipped).toEqual({ not_in_audience: 1 });
    expect(plan.notDue).toBe(0);
    expect(plan.sends[0]).toEqual({
      idempotencyKey: `${OCCURRENCE}#whatsapp#${WA}#4915100000001`,
      intent: {
        channel: 'whatsapp',
        accountId: WA,
        userId: '4915100000001',
        kind: 'marketing',
        author: 'bot',
        content: {
          type: 'template',
          name: 'spring_sale',
          language: 'en',
          components: [{ type: 'body', parameters: [{ type: 'text', name: 'first_name', value: 'Ada' }] }],
        },
        topic: undefined,
      },
      route: 'whatsapp.template',
      pricing: 'marketing',
      delaySeconds: 0,
    });
    // No first_name: the campaign's fallback greets them.
    expect(plan.sends[1]?.intent.content).toMatchObject({ components: [{ parameters: [{ value: 'there' }] }] });
  });

  it('plans the same keys when the same occurrence runs again, later', () => {
    const members = [member('4915100000001'), member('4915100000002')];
    const first = planDispatch(members, context());
    const retry = planDispatch(members, context({ now: FIRING + 5 * 60_000 }));
    expect(keys(retry)).toEqual(keys(first));
    expect(keys(planDispatch(members, context({ occurrenceId: 'weekly-deals#2026-05-25T10:00:00.000Z' })))).not.toEqual(keys(first));
  });

  it('keeps out contacts the audience does not cover: tags, attributes, recent inbound, channel and account', () => {
    const audience = { tags: ['vip'], attributes: { city: 'Berlin' }, lastInboundWithinDays: 7 };
    const fits = { tags: ['vip', 'newsletter'], attributes: { city: 'Berlin' }, contact: outOfWindow() };
    const plan = planDispatch(
      [
        member('4915100000001', fits),
        member('4915100000002', { ...fits, tags: ['newsletter'] }),
        member('4915100000003', { ...fits, attributes: { city: 'Hamburg' } }),
        member('4915100000004', { ...fits, contact: { optIns: [], lastInboundAt: FIRING - 8 * DAY } }),
        member('4915100000005', { ...fits, contact: { optIns: [] } }),
        member('4915100000006', { ...fits, accountId: '999' }),
      ],
      context({ campaign: campaign({ audience }) }),
    );
    expect(plan.sends.map((send) => send.intent.userId)).toEqual(['4915100000001']);
    expect(plan.skipped).toEqual({ not_in_audience: 5 });
  });

  it('reads a topic audience again per contact: a token for another topic is out, a stopped one in (the policy says why)', () => {
    const token = (topic: string, status: 'active' | 'stopped') => ({ token: `t-${topic}-${status}`, topic, status });
    const plan = planDispatch(
      [
        member('4915100000001', { contact: { ...outOfWindow(), optIns: [token('news', 'active')] } }),
        member('4915100000002', { contact: { ...outOfWindow(), optIns: [token('deals', 'stopped')] } }),
      ],
      context({ campaign: campaign({ audience: { topic: 'deals' } }) }),
    );
    expect(plan.sends).toEqual([]);
    expect(plan.skipped).toEqual({ not_in_audience: 1, opt_in_stopped: 1 });
  });
});

describe('planDispatch: Meta rules through the policy engine', () => {
  it('reaches a contact outside the window with a template, but not with free text', () => {
    const contacts = [member('4915100000001', { contact: outOfWindow() }), member('4915100000002', { contact: inWindow() })];
    const template = planDispatch(contacts, context());
    expect(template.sends.map((send) => send.route)).toEqual(['whatsapp.template', 'whatsapp.template']);

    const text = planDispatch(contacts, context({ campaign: campaign({ content: { type: 'text', text: 'New deals inside!' } }) }));
    expect(text.sends.map((send) => [send.intent.userId, send.route])).toEqual([['4915100000002', 'whatsapp.free_form']]);
    expect(text.sends[0]?.intent.content).toEqual({ type: 'text', text: 'New deals inside!' });
    expect(text.skipped).toEqual({ window_closed: 1 });
  });

  it('skips a WhatsApp contact who stopped marketing', () => {
    const plan = planDispatch([member('4915100000001', { contact: { ...outOfWindow(), marketingOptOut: true } }), member('4915100000002')], context());
    expect(plan.sends.map((send) => send.intent.userId)).toEqual(['4915100000002']);
    expect(plan.skipped).toEqual({ marketing_opted_out: 1 });
  });

  it('skips every contact of an account it has no state for, rather than sending blind', () => {
    const plan = planDispatch([member('4915100000001')], context({ accounts: {} }));
    expect(plan).toEqual({ sends: [], skipped: { account_unknown: 1 }, notDue: 0 });
  });
});

describe('planDispatch: our own holds', () => {
  it('skips contacts in their quiet hours, read in their own zone or else the account’s', () => {
    // 22:00 in Berlin, 16:00 in New York.
    const late = at('2026-05-18T20:00:00Z');
    const ctx = context({ campaign: campaign({ quietHours: { start: '21:00', end: '08:00' } }), firingAtMs: late, now: late });
    const plan = planDispatch(
      [member('4915100000001', { timeZone: 'Europe/Berlin' }), member('4915100000002', { timeZone: 'America/New_York' }), member('4915100000003')],
      ctx,
    );
    expect(plan.sends.map((send) => send.intent.userId)).toEqual(['4915100000002']);
    expect(plan.skipped).toEqual({ quiet_hours: 2 });
  });

  it('holds marketing to contacts at their frequency cap, counted across campaigns, and lets utility through', () => {
    const frequencyCap = { max: 1, perHours: 24 };
    const now = context().now;
    const members = [member('4915100000001', { marketingLedger: [{ key: 'other-campaign#a', atMs: now - 2 * HOUR }] }), member('4915100000002', { marketingLedger: [{ key: 'other-campaign#b', atMs: now - 25 * HOUR }] })];
    const marketing = planDispatch(members, context({ campaign: campaign({ frequencyCap }) }));
    expect(marketing.sends.map((send) => send.intent.userId)).toEqual(['4915100000002']);
    expect(marketing.skipped).toEqual({ frequency_cap: 1 });

    const utility = campaign({ frequencyCap, kind: 'utility', content: { type: 'template', name: 'order_ready', language: 'en' } });
    expect(planDispatch(members, context({ campaign: utility })).sends).toHaveLength(2);
  });

  it('does not count a send against the cap twice when its own firing is planned again after a crash', () => {
    const frequencyCap = { max: 1, perHours: 48 };
    const ctx = context({ campaign: campaign({ frequencyCap }) });
    const [first] = planDispatch([member('4915100000001')], ctx).sends;
    const replayed = planDispatch([member('4915100000001', { marketingLedger: [{ key: ledgerKeyOf(String(first?.idempotencyKey)), atMs: ctx.now }] })], ctx);
    expect(keys(replayed)).toEqual([first?.idempotencyKey]);
  });

  it('stops at maxRecipients and counts the eligible rest as recipient_cap', () => {
    const members = ['1', '2', '3', '4'].map((n) => member(`491510000000${n}`));
    const plan = planDispatch([member('4915100000009', { contact: { ...outOfWindow(), marketingOptOut: true } }), ...members], context({ campaign: campaign({ caps: { maxRecipients: 2 } }) }));
    expect(plan.sends.map((send) => send.intent.userId)).toEqual(['4915100000001', '4915100000002']);
    expect(plan.skipped).toEqual({ marketing_opted_out: 1, recipient_cap: 2 });
  });

  it('plans a contact listed twice once', () => {
    const plan = planDispatch([member('4915100000001'), member('4915100000001')], context());
    expect(plan.sends).toHaveLength(1);
    expect(plan.skipped).toEqual({ duplicate: 1 });
  });

  it('sends each contact the template of their locale, then of their language, else the campaign’s default', () => {
    // Prepare
    const content = {
      type: 'template' as const,
      name: 'spring_sale',
      language: 'en',
      languages: { de: { language: 'de' }, pt_BR: { language: 'pt_BR', name: 'venda_primavera' } },
    };
    const approved = { status: 'APPROVED', category: 'MARKETING' };
    const ctx = context({ campaign: campaign({ content }) });
    const account = ctx.accounts[`whatsapp#${WA}`];
    if (account) account.state.templates = { 'spring_sale#en': approved, 'spring_sale#de': approved, 'venda_primavera#pt_BR': approved };
    const locales = { '4915100000001': 'de_AT', '4915100000002': 'pt-br', '4915100000003': 'fr', '4915100000004': 'klingon', '4915100000005': undefined };

    // Act
    const plan = planDispatch(
      Object.entries(locales).map(([userId, locale]) => member(userId, { attributes: locale === undefined ? {} : { locale } })),
      ctx,
    );

    // Assess
    const sent = Object.fromEntries(plan.sends.map((send) => [send.intent.userId, send.intent.content]));
    expect(sent).toEqual({
      '4915100000001': { type: 'template', name: 'spring_sale', language: 'de' },
      '4915100000002': { type: 'template', name: 'venda_primavera', language: 'pt_BR' },
      '4915100000003': { type: 'template', name: 'spring_sale', language: 'en' },
      '4915100000004': { type: 'template', name: 'spring_sale', language: 'en' },
      '4915100000005': { type: 'template', name: 'spring_sale', language: 'en' },
    });
  });

  it('skips a contact missing an attribute the template needs and that has no fallback', () => {
    const content = {
      type: 'template' as const,
      name: 'spring_sale',
      language: 'en',
      parameters: [{ fromAttribute: 'first_name', value: 'there' }, { fromAttribute: 'order_number' }],
    };
    const plan = planDispatch(
      [member('4915100000001', { attributes: { order_number: 'A-17' } }), member('4915100000002', { attributes: { first_name: 'Ada' } })],
      context({ campaign: campaign({ content }) }),
    );
    expect(plan.skipped).toEqual({ missing_parameter: 1 });
    // Positional parameters carry no name.
    expect(plan.sends.map((send) => send.intent.content)).toEqual([
      { type: 'template', name: 'spring_sale', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', value: 'there' }, { type: 'text', value: 'A-17' }] }] },
    ]);
  });
});

describe('planDispatch: local-time campaigns', () => {
  const localTime = (over: Partial<Extract<Campaign['schedule'], { kind: 'local_time' }>> = {}) =>
    context({ campaign: campaign({ schedule: { kind: 'local_time', at: '09:00', ...over } }) });
  const berlin = member('4915100000001', { timeZone: 'Europe/Berlin' });
  const kolkata = member('919800000001', { timeZone: 'Asia/Kolkata' });
  const firing = (iso: string, ctx: DispatchContext): DispatchContext => ({ ...ctx, firingAtMs: at(iso), now: at(iso) + 2_000 });

  it('sends Berlin and Kolkata contacts in different firings, each keyed by their local day', () => {
    const ctx = localTime();
    // 09:00 IST is 03:30 UTC; 09:00 CEST is 07:00 UTC.
    const early = planDispatch([berlin, kolkata], firing('2026-05-18T03:30:00Z', ctx));
    expect(keys(early)).toEqual([`weekly-deals#2026-05-18#whatsapp#${WA}#919800000001`]);
    expect(early.notDue).toBe(1);
    const later = planDispatch([berlin, kolkata], firing('2026-05-18T07:00:00Z', ctx));
    expect(keys(later)).toEqual([`weekly-deals#2026-05-18#whatsapp#${WA}#4915100000001`]);
    expect(later.notDue).toBe(1);
    expect(later.skipped).toEqual({});
  });

  it('sends each contact exactly once over a day of firings, the account’s zone standing in for an unknown one', () => {
    const ctx = localTime();
    const noZone = member('4915100000002');
    const planned: string[] = [];
    for (let firingAtMs = at('2026-05-18T00:00:00Z'); firingAtMs < at('2026-05-19T00:00:00Z'); firingAtMs += LOCAL_TIME_FIRING_INTERVAL_MS) {
      planned.push(...keys(planDispatch([berlin, kolkata, noZone], { ...ctx, firingAtMs, now: firingAtMs })));
    }
    expect(planned.sort()).toEqual(
      [
        `weekly-deals#2026-05-18#whatsapp#${WA}#4915100000001`,
        `weekly-deals#2026-05-18#whatsapp#${WA}#4915100000002`,
        `weekly-deals#2026-05-18#whatsapp#${WA}#919800000001`,
      ].sort(),
    );
  });

  it('holds a target between quarter hours until its minute, counted from when the job is enqueued', () => {
    // The firing's page runs 2 s after 07:00 UTC; 09:10 in Berlin is 07:10 UTC.
    const plan = planDispatch([berlin], firing('2026-05-18T07:00:00Z', localTime({ at: '09:10' })));
    expect(plan.sends.map((send) => send.delaySeconds)).toEqual([598]);
    // A later page of the same firing waits less, so the message still leaves at 09:10.
    const later = planDispatch([berlin], { ...firing('2026-05-18T07:00:00Z', localTime({ at: '09:10' })), now: at('2026-05-18T07:06:00Z') });
    expect(later.sends.map((send) => send.delaySeconds)).toEqual([240]);
  });

  it('skips a contact whose local time passed more than 30 minutes before the page ran, and sends one just late', () => {
    const ctx = firing('2026-05-18T07:00:00Z', localTime());
    expect(planDispatch([berlin], { ...ctx, now: at('2026-05-18T07:31:00Z') })).toMatchObject({ sends: [], skipped: { too_late: 1 } });
    expect(planDispatch([berlin], { ...ctx, now: at('2026-05-18T07:29:00Z') }).sends.map((send) => send.delaySeconds)).toEqual([0]);
  });

  it('sends only on the listed days of the contact’s week', () => {
    // Monday in both zones: a weekend campaign is not due.
    const weekend = planDispatch([berlin], firing('2026-05-18T07:00:00Z', localTime({ days: ['SAT', 'SUN'] })));
    expect(weekend).toEqual({ sends: [], skipped: {}, notDue: 1 });
    expect(planDispatch([berlin], firing('2026-05-18T07:00:00Z', localTime({ days: ['MON'] }))).sends).toHaveLength(1);
  });
});

describe('estimatePlanCost', () => {
  it('prices each send by its planned category and the recipient’s market', () => {
    const plan = planDispatch([member('4915100000001'), member('4915100000002', { contact: inWindow() }), member('919800000001')], context());
    const estimate = estimatePlanCost(plan, FIRING);
    expect(estimate.lines.map(({ channel, category, market, count }) => ({ channel, category, market, count }))).toEqual([
      { channel: 'whatsapp', category: 'marketing', market: 'DE', count: 2 },
      { channel: 'whatsapp', category: 'marketing', market: 'IN', count: 1 },
    ]);
  });

  it('counts free sends as costing nothing', () => {
    const text = planDispatch([member('4915100000001', { contact: inWindow() })], context({ campaign: campaign({ content: { type: 'text', text: 'Hi' } }) }));
    expect(text.sends[0]?.pricing).toBe('free');
    expect(estimatePlanCost(text, FIRING)).toMatchObject({ totalsByCurrency: {}, unpriced: 0, lines: [{ amount: 0 }] });
  });
});

describe('planDispatch: preview', () => {
  it('counts every local-time contact as due and reads quiet hours on the campaign’s wall time', () => {
    const quiet = campaign({ schedule: { kind: 'local_time', at: '07:30' }, quietHours: { start: '21:00', end: '08:00' } });
    const members = [member('4915100000001', { timeZone: 'Europe/Berlin' }), member('919800000001', { timeZone: 'Asia/Kolkata' })];
    const plan = planDispatch(members, context({ campaign: quiet, preview: { sendAtMs: FIRING } }));
    expect(plan).toMatchObject({ sends: [], skipped: { quiet_hours: 2 }, notDue: 0 });
    const daytime = planDispatch(members, context({ campaign: { ...quiet, schedule: { kind: 'local_time', at: '09:00' } }, preview: { sendAtMs: FIRING } }));
    expect(daytime.sends).toHaveLength(2);
  });

  it('judges a scheduled campaign’s quiet hours at its next firing, not at the time of the preview', () => {
    const quiet = campaign({ quietHours: { start: '21:00', end: '08:00' } });
    const berlin = member('4915100000001', { timeZone: 'Europe/Berlin' });
    // Previewed at 12:00 Berlin for a firing at 23:00 Berlin.
    const plan = planDispatch([berlin], context({ campaign: quiet, preview: { sendAtMs: at('2026-05-18T21:00:00Z') } }));
    expect(plan.skipped).toEqual({ quiet_hours: 1 });
  });

  describe('decides Meta’s rules at the firing it previews, from what is known now', () => {
    const now = FIRING;
    const text = campaign({ content: { type: 'text', text: 'New deals inside!' } });
    // Wrote an hour ago: the window closes at now + 23 h.
    const wroteLately = member('4915100000001', { contact: inWindow(now) });

    it('refuses free text to a contact whose window has closed by the firing, and sends it to one still inside', () => {
      const wroteJustNow = member('4915100000002', { contact: { optIns: [], lastInboundAt: now, lastMessageAt: now, openedBy: 'message' } });
      const plan = planDispatch([wroteLately, wroteJustNow], context({ campaign: text, now, preview: { sendAtMs: now + 23.5 * HOUR } }));
      expect(plan.sends.map((send) => [send.intent.userId, send.route])).toEqual([['4915100000002', 'whatsapp.free_form']]);
      expect(plan.skipped).toEqual({ window_closed: 1 });
      // Previewed for a firing an hour away, both windows are still open.
      expect(planDispatch([wroteLately, wroteJustNow], context({ campaign: text, now, preview: { sendAtMs: now + HOUR } })).sends).toHaveLength(2);
    });

    it('allows marketing to a contact whose back-off is over by the firing, and refuses it before then', () => {
      const heldBack = member('4915100000001', { contact: { ...outOfWindow(now), marketingPausedUntil: now + 6 * HOUR } });
      const before = planDispatch([heldBack], context({ now, preview: { sendAtMs: now + 5 * HOUR } }));
      expect(before).toMatchObject({ sends: [], skipped: { marketing_limit_backoff: 1 } });
      const after = planDispatch([heldBack], context({ now, preview: { sendAtMs: now + 7 * HOUR } }));
      expect(after.sends.map((send) => send.route)).toEqual(['whatsapp.template']);
    });

    it('never decides before now: a one-off whose time has passed is decided at the moment of the preview', () => {
      // The back-off ended an hour ago; at the passed firing it was still on.
      const heldBack = member('4915100000001', { contact: { ...outOfWindow(now), marketingPausedUntil: now - HOUR } });
      const plan = planDispatch([heldBack], context({ campaign: campaign({ schedule: { kind: 'once', at: '2026-05-18T08:00:00Z' } }), now, preview: { sendAtMs: now - 2 * HOUR } }));
      expect(plan.sends).toHaveLength(1);
    });

    it('decides a local-time campaign, which has no single firing, at the moment of the preview', () => {
      const local = campaign({ content: { type: 'text', text: 'Good morning' }, schedule: { kind: 'local_time', at: '09:00' } });
      const plan = planDispatch([wroteLately], context({ campaign: local, now, preview: { sendAtMs: now + 2 * DAY } }));
      expect(plan.sends.map((send) => send.route)).toEqual(['whatsapp.free_form']);
    });
  });
});

describe('planDispatch: a firing decides at its run time', () => {
  it('decides a held local-time send when the job is enqueued, not when it leaves: the sender decides again then', () => {
    // The page runs at 07:00:02 UTC; 09:10 in Berlin is 07:10 UTC, when the window has closed.
    const now = at('2026-05-18T07:00:02Z');
    const closesAt = at('2026-05-18T07:05:00Z');
    const berlin = member('4915100000001', { timeZone: 'Europe/Berlin', contact: { optIns: [], lastInboundAt: closesAt - DAY, lastMessageAt: closesAt - DAY, openedBy: 'message' } });
    const local = campaign({ content: { type: 'text', text: 'Good morning' }, schedule: { kind: 'local_time', at: '09:10' } });
    const plan = planDispatch([berlin], context({ campaign: local, firingAtMs: at('2026-05-18T07:00:00Z'), now }));
    expect(plan.sends.map((send) => [send.route, send.delaySeconds])).toEqual([['whatsapp.free_form', 598]]);
  });
});
