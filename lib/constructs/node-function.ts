import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { PowertoolsLogLevel } from '../config';

/** The CloudWatch namespace of every metric the functions emit (Powertools), with a `service` dimension each. */
export const METRICS_NAMESPACE = 'afterchat';

export interface NodeFunctionProps {
  /** Absolute path of the handler file; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Powertools `service` dimension and log field. */
  readonly serviceName: string;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly logRetention: RetentionDays;
  readonly logLevel: PowertoolsLogLevel;
  readonly environment?: Record<string, string>;
}

/**
 * A Node.js Lambda with the project's defaults: Node 24 on Graviton, X-Ray, its own log group
 * with retention, and a role that may write only to that log group.
 */
export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  /** The Powertools `service` dimension of the metrics it emits (namespace `afterchat`). */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.serviceName = props.serviceName;

    // The function is stateless, so its logs go with it; retention caps what we keep about users.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Granting the log group directly replaces AWSLambdaBasicExecutionRole, which would let the
    // function write to every log group in the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into ESM (the X-Ray SDK under Powertools Tracer, for one)
        // still require() Node built-ins at run time, and ESM has no require of its own.
        banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
        // The nodejs24.x runtime ships SDK v3, so bundling it would only add cold-start weight.
        externalModules: ['@aws-sdk/*'],
      },
    });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by Tracing.ACTIVE: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so their Resource must be "*".',
    });
  }
}
