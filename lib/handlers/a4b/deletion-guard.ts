// The room deletion guard of an inventory: an Update that would delete more rooms than allowed fails, so
// CloudFormation rolls the whole deploy back before its cleanup phase deletes any room. Only a refusal reads A4B: the
// rooms' names, to say which rooms would go.
import { createHash } from 'crypto';
import { ROOM_KEY_CHARS, ROOM_NO_ID, RoomDeletionGuardProps as G } from '../../contract';
import { CfnEvent, CfnResult, ResourceError } from '../cfn';
import { PropertyReader } from '../properties';
import { guardHash, nameKey } from '../../inventory/names';
import { searchRooms } from '../../runtime/a4b/query';
import { a4b } from './client';

export interface GuardSpec {
  readonly inventory: string;
  /** One key per room: its name key, then its id key (ROOM_NO_ID without one). */
  readonly rooms: ReadonlySet<string>;
  /** Properties of a guard made by an earlier version: the room keys name resources, not rooms, so only counts compare. */
  readonly resourceKeys?: boolean;
  readonly maxDeletions: number;
}

export function readGuard(props: Record<string, unknown>, resource: string): GuardSpec {
  const p = new PropertyReader(props, resource);
  const byName = p.string(G.ROOM_NAMES);
  const packed = byName ?? p.string(G.ROOMS) ?? '';
  const rooms = new Set<string>();
  for (let i = 0; i < packed.length; i += ROOM_KEY_CHARS) rooms.add(packed.slice(i, i + ROOM_KEY_CHARS));
  const maxDeletions = p.integer(G.MAX_DELETIONS) ?? 0;
  if (maxDeletions < 0) throw new ResourceError(`${resource}: property ${G.MAX_DELETIONS} is ${maxDeletions}; it must be 0 or more`);
  return { inventory: p.string(G.INVENTORY) ?? 'the inventory', rooms, maxDeletions, ...(byName === undefined && packed ? { resourceKeys: true } : {}) };
}

/**
 * How many rooms of `before` a deploy to `after` deletes. A room whose name (ignoring case) or stable id is still
 * declared keeps its A4B room: its resource may move (another shard, a new id, a renamed construct), and the new
 * resource takes the room over while the old one's cleanup Delete keeps it. Against an earlier version's list, which
 * keyed resources, the drop in the number of rooms is what is known to go.
 */
export function roomDeletions(before: GuardSpec, after: GuardSpec): number {
  if (before.resourceKeys) return Math.max(0, before.rooms.size - after.rooms.size);
  return deletedRooms(before, after).length;
}

/** The keys of the rooms of `before` whose name and id are both gone from `after` (none for an earlier version's list). */
export function deletedRooms(before: GuardSpec, after: GuardSpec): string[] {
  if (before.resourceKeys) return [];
  const half = ROOM_KEY_CHARS / 2;
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const k of after.rooms) {
    names.add(k.slice(0, half));
    if (k.slice(half) !== ROOM_NO_ID) ids.add(k.slice(half));
  }
  return [...before.rooms].filter((k) => !names.has(k.slice(0, half)) && !ids.has(k.slice(half)));
}

/** How a refusal names the rooms: the first 20 by name, then how many more. */
export function deletedRoomsText(names: readonly string[], total: number): string {
  if (!names.length) return '';
  const shown = names.slice(0, 20).map((n) => `'${n}'`).join(', ');
  return ` (${shown}${total > Math.min(names.length, 20) ? ` and ${total - Math.min(names.length, 20)} more` : ''})`;
}

/** The live rooms whose names have these keys: A4B's names of what the deploy would delete. */
async function namesOf(keys: readonly string[]): Promise<string[]> {
  const half = ROOM_KEY_CHARS / 2;
  const wanted = new Set(keys.map((k) => k.slice(0, half)));
  const rooms = await searchRooms(a4b);
  return rooms.map((r) => r.RoomName!).filter((n) => n && wanted.has(guardHash(nameKey(n)))).sort((x, y) => x.localeCompare(y));
}

/**
 * The physical id names the room set last accepted. A rollback Update (old and new properties swapped) returns
 * to that set, so it passes without a count: otherwise rolling back a refused deploy that also added rooms would
 * "delete" them and fail the rollback too. An accepted change returns a new id, which CloudFormation treats as a
 * replacement: its cleanup Delete of the old id is a no-op, and a later rollback deletes the new id and keeps the old.
 */
export function guardPhysicalId(spec: GuardSpec): string {
  return `room-deletion-guard-${createHash('sha256').update([...spec.rooms].sort().join('')).digest('hex').slice(0, 32)}`;
}

export async function onGuardEvent(event: CfnEvent): Promise<CfnResult> {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? 'room-deletion-guard' };
  const resource = `room deletion guard (${event.LogicalResourceId})`;
  const after = readGuard(event.ResourceProperties ?? {}, resource);
  const id = guardPhysicalId(after);
  if (event.RequestType === 'Create' || event.PhysicalResourceId === id) return { PhysicalResourceId: id, Data: { Rooms: String(after.rooms.size) } };
  const before = readGuard(event.OldResourceProperties ?? {}, resource);
  const deletions = roomDeletions(before, after);
  if (deletions > after.maxDeletions) {
    // Which rooms: their keys matched against A4B's names (a read that fails only leaves the names out).
    const keys = deletedRooms(before, after);
    const names = keys.length ? await namesOf(keys).catch(() => []) : [];
    throw new ResourceError(`${after.inventory}: this deploy would delete ${deletions} of ${before.rooms.size} rooms${deletedRoomsText(names, deletions)}, more than the ${after.maxDeletions} `
      + `one deploy may delete; nothing was deleted (cdk diff lists them). If that is intended, deploy again with -c allowRoomDeletions=${deletions}, `
      + 'or raise maxRoomDeletions of the RoomInventory', event.PhysicalResourceId);
  }
  return { PhysicalResourceId: id, Data: { Rooms: String(after.rooms.size) } };
}
