import { CfnOutput, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ACCESS_LEVELS, deniedResourcePaths, invokeResourcePaths, type AccessLevel } from '../access-levels';

export interface AccessPoliciesProps {
  /** The HTTP API whose `/admin/...` routes require IAM (SigV4). */
  readonly api: IHttpApi;
  readonly stage: string;
}

const WHAT: Record<AccessLevel, string> = {
  viewer: 'reads and reports, contacts included but not their access export; no POST, PUT or DELETE',
  operator: "a viewer's reads, plus sends, campaigns, contact profiles and template syncs",
  admin: 'every admin route: accounts, erasure and access exports, configuration and the audit log too',
};

const outputName = (level: AccessLevel): string => `${level[0]!.toUpperCase()}${level.slice(1)}PolicyArn`;

/**
 * One IAM managed policy per access level (lib/access-levels.ts), each allowing `execute-api:Invoke`
 * on its routes' ARNs, method and path, on every stage of this API, and denying the routes above the
 * level that those wildcards would reach too (IAM's `*` matches `/`). Attach one to a user, group or
 * role; the ARNs are stack outputs (`ViewerPolicyArn`, `OperatorPolicyArn`, `AdminPolicyArn`).
 */
export class AccessPolicies extends Construct {
  readonly policies: Record<AccessLevel, ManagedPolicy>;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const apiLogicalId = Stack.of(this).getLogicalId(props.api.node.defaultChild as CfnElement);
    const policy = (level: AccessLevel): ManagedPolicy => {
      const arns = (methodPaths: string[]): string[] =>
        methodPaths.map((methodPath) => {
          const slash = methodPath.indexOf('/');
          return props.api.arnForExecuteApi(methodPath.slice(0, slash), methodPath.slice(slash));
        });
      const denied = deniedResourcePaths(level);
      const managed = new ManagedPolicy(this, level, {
        description: `afterchat ${props.stage}: ${level} access to the admin API (${WHAT[level]})`,
        statements: [
          new PolicyStatement({ actions: ['execute-api:Invoke'], resources: arns(invokeResourcePaths(level)) }),
          ...(denied.length === 0 ? [] : [new PolicyStatement({ effect: Effect.DENY, actions: ['execute-api:Invoke'], resources: arns(denied) })]),
        ],
      });
      for (const methodPath of invokeResourcePaths(level)) {
        Validations.of(managed).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiLogicalId}>/*/${methodPath}]`,
          reason:
            'One admin route (method and path) of this API: the wildcards stand for the stage and for path parameters (channel, account, contact, campaign ids), which are data unknown at synth time. README "Access levels" shows how to scope a copy to some accounts.',
        });
      }
      new CfnOutput(Stack.of(this), outputName(level), {
        description: `IAM managed policy for the ${level} level: ${WHAT[level]}. aws iam attach-user-policy --policy-arn <this> --user-name <user>`,
        value: managed.managedPolicyArn,
      });
      return managed;
    };
    this.policies = Object.fromEntries(ACCESS_LEVELS.map((level) => [level, policy(level)])) as Record<AccessLevel, ManagedPolicy>;
  }
}
