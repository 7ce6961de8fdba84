import * as z from 'zod';
import { FOLLOW_UP_STATES } from '../../domain/campaign/follow-up-state';
import { CampaignSchema } from '../../schemas/campaign';
import { Campaign } from './campaigns';
import { OccurrencePath } from './params';
import type { RouteTable } from './route-contract';

const FollowUpRequest = z
  .object({
    state: z.enum(FOLLOW_UP_STATES).meta({
      description:
        'The occurrence’s recipients to send to: `limited_by_meta` (Meta’s marketing limit, e.g. WhatsApp 131049: retry once it has passed), `not_delivered`, `not_read`, `read_not_clicked`, `clicked_not_converted`, `failed` (any other failure)',
    }),
    campaign: CampaignSchema.meta({ description: 'The follow-up, as PUT /admin/campaigns/{campaignId} takes it (a draft, with an id of its own); its `audience` filters the recipients further' }),
  })
  .strict();

export const followUpContract = {
  'POST /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/follow-up': {
    operationId: 'createFollowUp',
    summary: 'Creates a draft campaign to the occurrence’s recipients in one funnel state (201), or replaces the draft it made (200)',
    path: OccurrencePath,
    body: { name: 'follow-up', schema: FollowUpRequest },
    responses: { 201: Campaign, 200: Campaign },
    errors: {
      400: 'the follow-up has the occurrence’s campaign id, or a recurring schedule',
      404: 'campaign or occurrence not found',
      409: 'a campaign with the follow-up’s id exists and is not this follow-up, or it is no longer a draft',
    },
  },
} as const satisfies RouteTable;
