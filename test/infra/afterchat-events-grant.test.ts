/**
 * Interface under test: the business-bus grant of the functions that announce handoffs. They may
 * put afterchat's own events only, never a shop's business event (which the dispatcher's rule
 * would turn into sends), and the source they are held to is the one the runtime puts.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AUTOMATION_EVENT_SOURCE } from '../../lambdas/adapters/eventbridge/business-bus';
import { AFTERCHAT_EVENT_SOURCE, grantPutAfterchatEvents } from '../../lib/constructs/afterchat-events-grant';

describe("afterchat's own events on the business bus", () => {
  it('are the only ones a granted role may put, under the source the runtime uses', () => {
    const stack = new Stack(new App(), 'Grant');
    const bus = new EventBus(stack, 'Bus');
    grantPutAfterchatEvents(bus, new Role(stack, 'Fn', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
    expect(AFTERCHAT_EVENT_SOURCE).toBe(AUTOMATION_EVENT_SOURCE);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'events:PutEvents',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Bus'), 'Arn'] },
            Condition: { StringEquals: { 'events:source': 'afterchat.automation' } },
          }),
        ],
      },
    });
  });
});
