import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** Module-scope singletons, as in Powertools' example app: created once per Lambda instance. */
export const logger = new Logger();
export const metrics = new Metrics();
