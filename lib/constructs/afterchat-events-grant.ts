import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IEventBus } from 'aws-cdk-lib/aws-events';

/** The source afterchat's own events carry on the business bus (`handoff.requested`, …). */
export const AFTERCHAT_EVENT_SOURCE = 'afterchat.automation';

/**
 * PutEvents on the business bus, for afterchat's own source only: a function that may announce a
 * handoff can't put a shop's business event (`detail.template`), which the dispatcher's rule would
 * turn into sends.
 */
export const grantPutAfterchatEvents = (bus: IEventBus, grantee: IGrantable): void => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['events:PutEvents'],
      resources: [bus.eventBusArn],
      conditions: { StringEquals: { 'events:source': AFTERCHAT_EVENT_SOURCE } },
    }),
  );
};
