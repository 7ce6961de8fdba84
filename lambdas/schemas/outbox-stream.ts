import * as z from 'zod';

/** An item image as the stream carries it: DynamoDB JSON (attribute name → typed value), unmarshalled by the adapter. */
const Image = z.record(z.string(), z.record(z.string(), z.unknown()));

/** One record of the state table's stream (NEW_AND_OLD_IMAGES), as far as the funnel reads it. */
export const StateStreamRecord = z.object({
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    /** Decimal, 21 to 40 digits in AWS: increasing within a shard. */
    SequenceNumber: z.string().regex(/^[0-9]{1,40}$/),
    OldImage: Image.optional(),
    NewImage: Image.optional(),
  }),
});
export type StateStreamRecord = z.infer<typeof StateStreamRecord>;

/**
 * A batch of one stream shard, as Lambda invokes a DynamoDB stream event source with a tumbling
 * window (lib/constructs/funnel-stream.ts): the window form is the one that names the shard. The
 * window's closing call may hold no records.
 */
export const StateStreamBatch = z.object({
  Records: z.array(z.unknown()),
  shardId: z.string().min(1),
});
export type StateStreamBatch = z.infer<typeof StateStreamBatch>;
