import * as z from 'zod';
import { ChannelSchema } from '../../schemas/account';
import { CampaignSchema } from '../../schemas/campaign';
import { CampaignPath, OccurrencePath } from './params';
import type { RouteTable } from './route-contract';
import { MaybeTime, Time } from './times';

const Counts = z.record(z.string(), z.number());

/** A stored campaign: its definition, and what the store adds. */
export const Campaign = z
  .object({
    ...CampaignSchema.shape,
    ruleName: z.string().nullable().meta({ description: 'The EventBridge rule that fires it, once scheduled' }),
    version: z.number(),
    createdAt: MaybeTime,
    updatedAt: MaybeTime,
  })
  .meta({ id: 'Campaign' });

const Occurrence = z
  .object({
    campaignId: z.string(),
    occurrenceKey: z.string(),
    status: z.enum(['running', 'paused', 'done', 'stopped']),
    stopReason: z.string().nullable(),
    heldUntil: MaybeTime.meta({ description: 'Waiting for a sending account’s pause to end' }),
    heldReason: z.string().nullable(),
    heldAccount: z.string().nullable(),
    firingAt: MaybeTime,
    startedAt: MaybeTime,
    updatedAt: MaybeTime,
    finishedAt: MaybeTime,
    pages: z.number(),
    counts: z.object({ audience: z.number(), enqueued: z.number(), notDue: z.number(), skipped: Counts }),
    costByCurrency: Counts,
  })
  .meta({ id: 'Occurrence' });

const CostLine = z.object({
  channel: ChannelSchema,
  category: z.string(),
  market: z.string(),
  count: z.number(),
  pricePerMessage: z.number().nullable(),
  currency: z.string().nullable(),
  amount: z.number().nullable(),
  rowId: z.string().nullable(),
});

const CampaignPreview = z
  .object({
    campaignId: z.string(),
    firstSendAt: MaybeTime.meta({ description: 'null for local-time campaigns: each contact’s own time' }),
    audience: z.number(),
    eligible: z.number(),
    eligibleByRoute: Counts,
    skipped: Counts,
    estimate: z.object({
      totalsByCurrency: Counts,
      lines: z.array(CostLine),
      unpriced: z.number(),
      asOf: z.iso.date().meta({ description: 'The UTC date the price table was read for' }),
      disclaimer: z.string(),
    }),
    overCostCap: z.boolean(),
    complete: z.boolean().meta({ description: 'False when the time budget ran out first' }),
  })
  .meta({ id: 'CampaignPreview' });

const FunnelCounts = {
  jobs: z.number(),
  pending: z.number(),
  sent: z.number(),
  delivered: z.number(),
  read: z.number(),
  failed: z.number(),
  skippedAtSend: Counts,
  unknown: z.number(),
  complete: z.boolean(),
};

const Funnel = z.discriminatedUnion('source', [
  z.object({ ...FunnelCounts, source: z.literal('records') }),
  z.object({ ...FunnelCounts, source: z.literal('snapshot'), asOf: Time.meta({ description: 'When the snapshot was counted' }) }),
]);

const CAMPAIGN_404 = 'campaign not found';

export const campaignContract = {
  'GET /admin/campaigns': {
    operationId: 'listCampaigns',
    summary: 'Every campaign',
    responses: { 200: z.object({ campaigns: z.array(Campaign) }) },
  },
  'PUT /admin/campaigns/{campaignId}': {
    operationId: 'putCampaign',
    summary: 'Creates a campaign as a draft (201), or replaces its definition (200)',
    path: CampaignPath,
    body: { name: 'campaign', schema: CampaignSchema },
    responses: { 201: Campaign, 200: Campaign },
    errors: { 409: 'the status in the body is not the stored one, the campaign is done, or it changed meanwhile' },
  },
  'GET /admin/campaigns/{campaignId}': {
    operationId: 'showCampaign',
    summary: 'A campaign and its recent occurrences',
    path: CampaignPath,
    responses: { 200: Campaign.extend({ occurrences: z.array(Occurrence) }) },
    errors: { 404: CAMPAIGN_404 },
  },
  'DELETE /admin/campaigns/{campaignId}': {
    operationId: 'deleteCampaign',
    summary: 'Removes a campaign and its rule',
    path: CampaignPath,
    responses: { 200: z.object({ deleted: z.string() }) },
    errors: { 404: CAMPAIGN_404 },
  },
  'POST /admin/campaigns/{campaignId}/preview': {
    operationId: 'previewCampaign',
    summary: 'Who the campaign would reach and what it would cost',
    path: CampaignPath,
    responses: { 200: CampaignPreview },
    errors: { 404: CAMPAIGN_404 },
  },
  'POST /admin/campaigns/{campaignId}/schedule': {
    operationId: 'scheduleCampaign',
    summary: 'Schedules a draft',
    path: CampaignPath,
    responses: { 200: Campaign.extend({ preview: CampaignPreview }) },
    errors: { 404: CAMPAIGN_404, 409: 'not a draft, its time has passed, or its estimate is over `caps.maxCostEur` (the answer carries `preview`)' },
  },
  'POST /admin/campaigns/{campaignId}/pause': {
    operationId: 'pauseCampaign',
    summary: 'Pauses a scheduled or running campaign',
    path: CampaignPath,
    responses: { 200: Campaign },
    errors: { 404: CAMPAIGN_404, 409: 'neither scheduled nor running (the answer carries `status`)' },
  },
  'POST /admin/campaigns/{campaignId}/resume': {
    operationId: 'resumeCampaign',
    summary: 'Resumes a paused campaign, and the occurrences the pause stopped',
    path: CampaignPath,
    responses: { 200: Campaign.extend({ resumedOccurrences: z.array(z.string()) }) },
    errors: { 404: CAMPAIGN_404, 409: 'not paused (the answer carries `status`)' },
  },
  'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}': {
    operationId: 'showOccurrence',
    summary: 'One firing of a campaign and what became of its sends',
    path: OccurrencePath,
    responses: { 200: Occurrence.extend({ funnel: Funnel }) },
    errors: { 404: 'campaign or occurrence not found' },
  },
} as const satisfies RouteTable;
