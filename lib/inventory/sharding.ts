// Where a room of an inventory goes: a shard (nested stack) and a construct id, both derived from its name only,
// never from its position, so adding, removing or reordering rooms changes only the shards that hold them.

/** Rooms spread over this many shards unless the inventory says otherwise: 10,000 rooms (the A4B quota) fit. */
export const DEFAULT_SHARDS = 32;
/** Rooms a shard may hold: CloudFormation's 500 resources less the validation, the parameters' references and headroom. */
export const MAX_ROOMS_PER_SHARD = 480;

/** FNV-1a, 32 bits: small, stable across Node versions and platforms, and well spread for short strings. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function shardOf(roomName: string, shards: number): number {
  return stableHash(roomName.toLowerCase()) % shards;
}

export function shardId(shard: number): string {
  return `Shard${String(shard).padStart(2, '0')}`;
}

/** A construct id from a name: readable, unique per name (names are unique ignoring case), stable. */
export function constructIdFor(kind: string, name: string): string {
  const readable = name.replace(/[^A-Za-z0-9]+/g, '').slice(0, 40) || kind;
  return `${kind}${readable}${stableHash(name.toLowerCase()).toString(16).padStart(8, '0')}`;
}
