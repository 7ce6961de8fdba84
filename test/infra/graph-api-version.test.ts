// Synth's Graph API version gate (lib/graph-api-versions.ts, via addAfterchat) and the admin function's GRAPH_API_VERSION.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addAfterchat } from '../../lib/afterchat';
import { stageConfig, type StageConfig } from '../../lib/config';
import { buildApp } from './app';
import { idOf, type Resource } from './template-helpers';

const withVersion = (stage: string, graphApiVersion: StageConfig['send']['graphApiVersion']): StageConfig => {
  const config = stageConfig(stage);
  return { ...config, send: { ...config.send, graphApiVersion } };
};

describe('synth and the Graph API version', () => {
  it('refuses a version already past its end, naming the version and its end date', () => {
    // Act: v20.0 was available until 2026-09-24.
    const synth = () => addAfterchat(new App(), withVersion('dev', 'v20.0'), { now: Date.parse('2026-12-01T00:00:00Z') });

    // Assess
    expect(synth).toThrow(/Graph API version v20\.0 ended on 2026-09-24 .*lib\/config\.ts/);
  });

  it.each(['dev', 'prod'])('refuses the %s stage’s v25.0 from its end, 2028-07-29, and builds it the day before', (stage) => {
    expect(() => addAfterchat(new App(), stageConfig(stage), { now: Date.parse('2028-07-29T00:00:00Z') })).toThrow(/v25\.0 ended on 2028-07-29/);
    expect(() => addAfterchat(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), stageConfig(stage), { now: Date.parse('2028-07-28T23:59:59Z') })).not.toThrow();
  });

  it('refuses a version the table does not know, since its end date is unknown', () => {
    expect(() => addAfterchat(new App(), withVersion('dev', 'v19.0'), { now: Date.parse('2026-12-01T00:00:00Z') })).toThrow(/v19\.0 is not in lib\/graph-api-versions\.ts/);
  });

  it('gives the admin function the stage’s Graph API version, the same the sender calls', () => {
    // Prepare
    const { stateless } = buildApp();
    const template = Template.fromStack(stateless);
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const envOf = (logicalId: string) => (functions[logicalId]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    const adminEnv = envOf(idOf(stateless.admin.function));
    expect(adminEnv.GRAPH_API_VERSION).toBe(stageConfig('dev').send.graphApiVersion);
    expect(adminEnv.GRAPH_API_VERSION).toBe(envOf(idOf(stateless.sendPipeline.sender.function)).GRAPH_API_VERSION);
  });
});
