import type { Area } from '../area';
import { CampaignEditorPage } from './campaign-editor-page';
import { CampaignPage } from './campaign-page';
import { CampaignsListPage } from './campaigns-list-page';
import { OccurrencePage } from './occurrence-page';

// `new` before `:campaignId`: the first route that matches wins.
export const campaigns: Area = {
  label: 'Campaigns',
  path: '/campaigns',
  routes: [
    { path: '/campaigns', component: CampaignsListPage },
    { path: '/campaigns/new', component: CampaignEditorPage },
    { path: '/campaigns/:campaignId/edit', component: CampaignEditorPage },
    { path: '/campaigns/:campaignId/occurrences/:occurrenceKey', component: OccurrencePage },
    { path: '/campaigns/:campaignId', component: CampaignPage },
  ],
};
