import { lazyPutEvents, type PutEvents, sdkPutEvents } from './business-bus';

/**
 * The SDK's PutEvents with a default client, the SDK imported on the first put (business-bus.ts
 * `lazyPutEvents`). Apart from business-bus.ts so that its import stays out of the unit tests, whose
 * CommonJS runtime has no dynamic import; test/infra/bundling.test.ts holds the bundles to it.
 */
export const lazySdkPutEvents = (): PutEvents =>
  lazyPutEvents(async () => {
    const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
    return sdkPutEvents(new EventBridgeClient({}), PutEventsCommand);
  });
