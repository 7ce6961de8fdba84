// Checks that the whole app synthesises like `cdk synth` (cdk-nag AwsSolutions, our R4 reliability rules and CloudFormation validation) and that an unacknowledged finding would fail it.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, type App } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { buildApp } from './app';

/** The message synth fails with, or '' if it succeeds. */
function synthError(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

interface ValidationReport {
  pluginReports: { pluginName: string; violations: unknown[] }[];
}

describe('cdk-nag AwsSolutions and Afterchat reliability rules', () => {
  it.each(['dev', 'prod'])('passes for the %s stage with every finding acknowledged', (stage) => {
    // Prepare
    const { app } = buildApp({ stage, cfnValidation: true });

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).not.toThrow();
    const report = JSON.parse(readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    expect(report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('fails synth on a finding nobody acknowledged', () => {
    // Prepare
    const { app, stateless } = buildApp();
    new Secret(stateless, 'UnrotatedSecret');

    // Act
    const synth = () => app.synth();

    // Assess
    expect(synth).toThrow(/AwsSolutions-SMG4/);
  });

  it('fails synth on an SQS event source with a short visibility timeout, no partial batch responses or a low maxReceiveCount', () => {
    // Prepare
    const { app, stateless } = buildApp();
    const dlq = new Queue(stateless, 'CarelessDlq');
    const queue = new Queue(stateless, 'CarelessQueue', {
      visibilityTimeout: Duration.seconds(30),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 1 },
    });
    const fn = new LambdaFunction(stateless, 'CarelessConsumer', {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => ({});'),
      timeout: Duration.seconds(30),
    });
    fn.addEventSource(new SqsEventSource(queue));

    // Act
    const message = synthError(app);

    // Assess
    expect(message).toContain('Afterchat-LambdaEventSourceSQSVisibilityTimeout');
    expect(message).toContain('Afterchat-SQSReportBatchItemFailures');
    expect(message).toContain('Afterchat-SQSMaxReceiveCount');
  });
});
