// The room deletion guard of an inventory: an Update that would delete more rooms than allowed fails, so
// CloudFormation rolls the whole deploy back before its cleanup phase deletes any room. It makes no A4B call.
import { createHash } from 'crypto';
import { ROOM_KEY_CHARS, RoomDeletionGuardProps as G } from '../../contract';
import { CfnEvent, CfnResult, ResourceError } from '../cfn';
import { PropertyReader } from '../properties';

export interface GuardSpec {
  readonly inventory: string;
  /** One key per room resource. */
  readonly rooms: ReadonlySet<string>;
  readonly maxDeletions: number;
}

export function readGuard(props: Record<string, unknown>, resource: string): GuardSpec {
  const p = new PropertyReader(props, resource);
  const packed = p.string(G.ROOMS) ?? '';
  const rooms = new Set<string>();
  for (let i = 0; i < packed.length; i += ROOM_KEY_CHARS) rooms.add(packed.slice(i, i + ROOM_KEY_CHARS));
  const maxDeletions = p.integer(G.MAX_DELETIONS) ?? 0;
  if (maxDeletions < 0) throw new ResourceError(`${resource}: property ${G.MAX_DELETIONS} is ${maxDeletions}; it must be 0 or more`);
  return { inventory: p.string(G.INVENTORY) ?? 'the inventory', rooms, maxDeletions };
}

/** How many room resources of `before` are gone from `after`: CloudFormation deletes each in its cleanup phase. */
export function roomDeletions(before: GuardSpec, after: GuardSpec): number {
  let n = 0;
  for (const k of before.rooms) if (!after.rooms.has(k)) n++;
  return n;
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

export function onGuardEvent(event: CfnEvent): CfnResult {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? 'room-deletion-guard' };
  const resource = `room deletion guard (${event.LogicalResourceId})`;
  const after = readGuard(event.ResourceProperties ?? {}, resource);
  const id = guardPhysicalId(after);
  if (event.RequestType === 'Create' || event.PhysicalResourceId === id) return { PhysicalResourceId: id, Data: { Rooms: String(after.rooms.size) } };
  const before = readGuard(event.OldResourceProperties ?? {}, resource);
  const deletions = roomDeletions(before, after);
  if (deletions > after.maxDeletions) {
    throw new ResourceError(`${after.inventory}: this deploy would delete ${deletions} of ${before.rooms.size} rooms, more than the ${after.maxDeletions} `
      + `one deploy may delete; nothing was deleted (cdk diff lists them). If that is intended, deploy again with -c allowRoomDeletions=${deletions}, `
      + 'or raise maxRoomDeletions of the RoomInventory', event.PhysicalResourceId);
  }
  return { PhysicalResourceId: id, Data: { Rooms: String(after.rooms.size) } };
}
