import { Tracer } from '@aws-lambda-powertools/tracer';

export { logger, metrics } from './observability';

/** The tracer lives apart so functions that skip it (the webhook) never load the X-Ray SDK. */
export const tracer = new Tracer();
