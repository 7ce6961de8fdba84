import { App } from 'aws-cdk-lib';
import { addAfterchat } from '../lib/afterchat';
import { stageConfig } from '../lib/config';

const app = new App();
const stage: unknown = app.node.tryGetContext('stage') ?? 'dev';
if (typeof stage !== 'string') {
  throw new Error('Context "stage" must be a string, e.g. -c stage=prod');
}
addAfterchat(app, stageConfig(stage));
