/**
 * Interface under test: the dispatcher's inputs as they arrive, from the samples in events/: what a
 * campaign rule's target makes of the scheduled event, the dispatch queue's messages, and profile bodies.
 */
import { EventBridgeClient, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeCampaignScheduler } from '../../../lambdas/adapters/eventbridge/campaign-scheduler';
import { ContactProfileSchema } from '../../../lambdas/schemas/contact-profile';
import { CampaignSchema } from '../../../lambdas/schemas/campaign';
import { CampaignFiringSchema, DispatchContinuationSchema } from '../../../lambdas/schemas/dispatcher-input';
import { loadEvent } from '../../helpers/events';

describe('events/dispatcher samples', () => {
  it('the scheduled event, through the rule target’s InputTransformer, is the firing sample and parses', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutTargetsCommand).resolves({ FailedEntryCount: 0 });
    const scheduler = new EventBridgeCampaignScheduler({ client: new EventBridgeClient({}), namePrefix: 'afterchat-prod-campaign-', dispatcherArn: 'arn:aws:lambda:eu-central-1:123456789012:function:d' });
    await scheduler.schedule(CampaignSchema.parse(loadEvent('campaigns/black-friday-once.json')));
    const transformer = eventBridge.commandCalls(PutTargetsCommand)[0]?.args[0].input.Targets?.[0]?.InputTransformer;
    const scheduled = loadEvent<{ time: string }>('dispatcher/scheduled-event.json');
    expect(transformer?.InputPathsMap).toEqual({ time: '$.time' });

    const input: unknown = JSON.parse(String(transformer?.InputTemplate).replace('<time>', JSON.stringify(scheduled.time)));
    expect(input).toEqual(loadEvent('dispatcher/campaign-firing.json'));
    expect(CampaignFiringSchema.safeParse(input).success).toBe(true);
    eventBridge.restore();
  });

  it('the continuation sample parses, and a message without an occurrence key does not', () => {
    const message = loadEvent('dispatcher/continuation.json');
    expect(DispatchContinuationSchema.parse(message)).toEqual(message);
    const broken = { ...message };
    delete broken.occurrenceKey;
    expect(DispatchContinuationSchema.safeParse(broken).success).toBe(false);
  });

  it('the profile sample parses, and a fixed offset is refused as a time zone', () => {
    const profile = loadEvent('admin/contact-profile.json');
    expect(ContactProfileSchema.parse(profile)).toEqual(profile);
    expect(ContactProfileSchema.safeParse({ ...profile, timeZone: '+01:00' }).success).toBe(false);
  });
});
