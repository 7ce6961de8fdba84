/**
 * The editor's form and the campaign it stands for (lambdas/schemas/campaign.ts, as PUT
 * /admin/campaigns/{campaignId} takes it). Inputs hold text; this turns them into the schema's
 * shape, leaving out what is empty, and keeps what the form doesn't edit (tracking, per-language
 * templates, a follow-up's source) as it was. Pure, for the unit tests.
 */
import type { Audience, Channel } from './audience-query';
import { DAYS, type Schedule, utcInputValue, utcInstant } from './schedule-text';

type Day = (typeof DAYS)[number];
type Status = 'draft' | 'scheduled' | 'running' | 'paused' | 'done';

export interface CampaignBody {
  id: string;
  name: string;
  accounts: { channel: Channel; accountId: string }[];
  audience: Audience;
  content:
    | { type: 'template'; name: string; language: string; parameters?: { name?: string; fromAttribute?: string; value?: string }[]; languages?: Record<string, { language: string; name?: string }> }
    | { type: 'text'; text: string }
    | { type: 'marketing_message'; campaignMessageId: string; text: string };
  kind: 'marketing' | 'utility';
  schedule: Schedule;
  quietHours?: { start: string; end: string };
  frequencyCap?: { max: number; perHours: number };
  caps?: { maxRecipients?: number; maxCostEur?: number };
  status: Status;
  tracking?: unknown;
  followUp?: unknown;
}

export interface CampaignForm {
  id: string;
  name: string;
  /** `<channel>/<accountId>` of each sending account. */
  accounts: string[];
  kind: 'marketing' | 'utility';
  contentType: 'template' | 'text' | 'marketing_message';
  /** `<name>|<language>` of the chosen template. */
  template: string;
  /** The template's parameters, in order: each from a contact attribute, else the fixed value. */
  parameters: TemplateParameter[];
  text: string;
  campaignMessageId: string;
  scheduleKind: Schedule['kind'];
  /** A `datetime-local` value, read as UTC. */
  onceAt: string;
  expression: string;
  localAt: string;
  days: Day[];
  audience: Audience;
  quietStart: string;
  quietEnd: string;
  capMax: string;
  capPerHours: string;
  maxRecipients: string;
  maxCostEur: string;
  status: Status;
  /** What the form doesn't edit, carried over from the stored campaign. */
  kept: { languages?: unknown; tracking?: unknown; followUp?: unknown };
}

export interface TemplateParameter {
  name?: string;
  fromAttribute?: string;
  value?: string;
}

export const emptyForm = (): CampaignForm => ({
  id: '',
  name: '',
  accounts: [],
  kind: 'marketing',
  contentType: 'template',
  template: '',
  parameters: [],
  text: '',
  campaignMessageId: '',
  scheduleKind: 'once',
  onceAt: '',
  expression: 'cron(0 8 ? * MON *)',
  localAt: '09:00',
  days: [...DAYS],
  audience: {},
  quietStart: '',
  quietEnd: '',
  capMax: '',
  capPerHours: '',
  maxRecipients: '',
  maxCostEur: '',
  status: 'draft',
  kept: {},
});

/** A campaign id from its name: lowercase letters, digits and dashes (the schema's slug), 3–63 long. */
export const slugOf = (name: string): string => {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug.length >= 3 ? slug : slug ? `${slug}-campaign` : '';
};

const number = (text: string): number | undefined => (text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text));

export const formOf = (c: CampaignBody): CampaignForm => ({
  ...emptyForm(),
  id: c.id,
  name: c.name,
  accounts: c.accounts.map((a) => `${a.channel}/${a.accountId}`),
  kind: c.kind,
  contentType: c.content.type,
  template: c.content.type === 'template' ? `${c.content.name}|${c.content.language}` : '',
  parameters: c.content.type === 'template' ? (c.content.parameters ?? []) : [],
  text: c.content.type === 'template' ? '' : c.content.text,
  campaignMessageId: c.content.type === 'marketing_message' ? c.content.campaignMessageId : '',
  scheduleKind: c.schedule.kind,
  onceAt: c.schedule.kind === 'once' ? utcInputValue(c.schedule.at) : '',
  expression: c.schedule.kind === 'recurring' ? c.schedule.expression : emptyForm().expression,
  localAt: c.schedule.kind === 'local_time' ? c.schedule.at : emptyForm().localAt,
  days: c.schedule.kind === 'local_time' ? (c.schedule.days ?? [...DAYS]) : [...DAYS],
  audience: c.audience,
  quietStart: c.quietHours?.start ?? '',
  quietEnd: c.quietHours?.end ?? '',
  capMax: c.frequencyCap ? String(c.frequencyCap.max) : '',
  capPerHours: c.frequencyCap ? String(c.frequencyCap.perHours) : '',
  maxRecipients: c.caps?.maxRecipients === undefined ? '' : String(c.caps.maxRecipients),
  maxCostEur: c.caps?.maxCostEur === undefined ? '' : String(c.caps.maxCostEur),
  status: c.status,
  kept: {
    languages: c.content.type === 'template' ? c.content.languages : undefined,
    tracking: c.tracking,
    followUp: c.followUp,
  },
});

const scheduleOf = (f: CampaignForm): Schedule => {
  switch (f.scheduleKind) {
    case 'once':
      return { kind: 'once', at: utcInstant(f.onceAt) ?? f.onceAt };
    case 'recurring':
      return { kind: 'recurring', expression: f.expression.trim() };
    case 'local_time':
      return { kind: 'local_time', at: f.localAt, ...(f.days.length === DAYS.length ? {} : { days: DAYS.filter((d) => f.days.includes(d)) }) };
  }
};

/** A parameter row without its empty fields (an empty name makes a positional parameter). */
const tidyParameter = (p: TemplateParameter): TemplateParameter => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== ''));

const contentOf = (f: CampaignForm): CampaignBody['content'] => {
  if (f.contentType === 'text') return { type: 'text', text: f.text };
  if (f.contentType === 'marketing_message') return { type: 'marketing_message', campaignMessageId: f.campaignMessageId.trim(), text: f.text };
  const [name = '', language = ''] = f.template.split('|');
  return {
    type: 'template',
    name,
    language,
    ...(f.parameters.length > 0 ? { parameters: f.parameters.map(tidyParameter) } : {}),
    ...(f.kept.languages ? { languages: f.kept.languages as Record<string, { language: string }> } : {}),
  };
};

/** The campaign the form stands for; the API's validation says what is wrong with it, field by field. */
export const campaignOf = (f: CampaignForm): CampaignBody => {
  const max = number(f.capMax);
  const perHours = number(f.capPerHours);
  const maxRecipients = number(f.maxRecipients);
  const maxCostEur = number(f.maxCostEur);
  return {
    id: f.id,
    name: f.name,
    accounts: f.accounts.map((key) => {
      const [channel, accountId = ''] = key.split('/');
      return { channel: channel as Channel, accountId };
    }),
    audience: f.audience,
    content: contentOf(f),
    kind: f.kind,
    schedule: scheduleOf(f),
    ...(f.quietStart && f.quietEnd ? { quietHours: { start: f.quietStart, end: f.quietEnd } } : {}),
    ...(max !== undefined && perHours !== undefined ? { frequencyCap: { max, perHours } } : {}),
    ...(maxRecipients !== undefined || maxCostEur !== undefined
      ? { caps: { ...(maxRecipients === undefined ? {} : { maxRecipients }), ...(maxCostEur === undefined ? {} : { maxCostEur }) } }
      : {}),
    status: f.status,
    ...(f.kept.tracking ? { tracking: f.kept.tracking } : {}),
    ...(f.kept.followUp ? { followUp: f.kept.followUp } : {}),
  };
};
