/**
 * Write sharding. DynamoDB serves about 1,000 writes per second per partition key, on a table and
 * on each global index alike, so a key every new contact or every job of a campaign writes to
 * (an account's audience, an occurrence's sends, pending work) is spread over `SHARDS` keys by a
 * stable hash of the member's id: `<base>#00` … `<base>#63`. 64 shards hold 64,000 writes per
 * second per listing, far above a 1,000 msg/s sender or a 10,000 jobs/s dispatch, and let 64
 * dispatch workers each read a shard of their own (a million contacts in minutes), while a full
 * read costs 64 queries (half a read unit each when empty).
 *
 * The hash must never change: the shard is part of the stored key, and the backfill and every
 * writer must agree on it. FNV-1a (32 bit) over the id's UTF-8 bytes is tiny, fast and spreads
 * similar ids (sequential phone numbers, UUIDs) evenly.
 */
export const SHARDS = 64;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text`, as an unsigned integer. */
export const fnv1a32 = (text: string): number => {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
};

/** The shard (0 to SHARDS - 1) a member id is written to. */
export const shardOf = (id: string): number => fnv1a32(id) % SHARDS;

/** `<base>#<nn>`: the key of one shard, two digits so shards sort in order. */
export const shardKey = (base: string, shard: number): string => {
  if (!Number.isInteger(shard) || shard < 0 || shard >= SHARDS) throw new RangeError(`shard must be an integer from 0 to ${SHARDS - 1}, got ${shard}`);
  return `${base}#${String(shard).padStart(2, '0')}`;
};

/** The key a member id lands on. */
export const shardedKey = (base: string, id: string): string => shardKey(base, shardOf(id));

/** Every shard key of a listing, in shard order. */
export const allShardKeys = (base: string): string[] => Array.from({ length: SHARDS }, (_, shard) => shardKey(base, shard));
