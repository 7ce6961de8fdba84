import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Module-scope singletons, as in Powertools' example app: created once per Lambda instance. */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();
