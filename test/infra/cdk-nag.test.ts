// Checks that the whole app synthesises like `cdk synth` (cdk-nag AwsSolutions plus CloudFormation validation) and that an unacknowledged finding would fail it.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { buildApp } from './app';

interface ValidationReport {
  pluginReports: { pluginName: string; violations: unknown[] }[];
}

describe('cdk-nag AwsSolutions', () => {
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
});
