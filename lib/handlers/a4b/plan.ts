// What to change in A4B to go from one declared state to another: pure, so every case is a table test.
import { Tag } from './properties';

export interface SetChange {
  readonly add: string[];
  readonly remove: string[];
}

export function setChange(before: readonly string[], after: readonly string[]): SetChange {
  const b = new Set(before);
  const a = new Set(after);
  return { add: [...a].filter((x) => !b.has(x)), remove: [...b].filter((x) => !a.has(x)) };
}

export interface TagChange {
  /** Tags to add or whose value changes (`TagResource`). */
  readonly put: Tag[];
  /** Keys no longer declared (`UntagResource`). */
  readonly remove: string[];
}

export function tagChange(before: readonly Tag[], after: readonly Tag[]): TagChange {
  const old = new Map(before.map((t) => [t.Key, t.Value]));
  const now = new Map(after.map((t) => [t.Key, t.Value]));
  return {
    put: [...now].filter(([k, v]) => old.get(k) !== v).map(([Key, Value]) => ({ Key, Value })),
    remove: [...old.keys()].filter((k) => !now.has(k)),
  };
}

/** The members of `after` that differ from `before`, for an Update* call that changes only those. */
export function changedFields<T extends object>(before: T, after: T, keys: ReadonlyArray<keyof T>): { -readonly [K in keyof T]?: T[K] } {
  const out: { -readonly [K in keyof T]?: T[K] } = {};
  for (const k of keys) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = after[k];
  }
  return out;
}

export function isEmptyChange(change: SetChange | TagChange): boolean {
  return 'add' in change ? change.add.length === 0 && change.remove.length === 0 : change.put.length === 0 && change.remove.length === 0;
}

/**
 * Of the devices an update removes from a room, those still in it (to disassociate) and those already elsewhere or
 * in no room (to leave alone: disassociating them would take them out of the room they are in now).
 */
export function devicesToRelease(remove: readonly string[], inRoomNow: ReadonlySet<string>): { release: string[]; elsewhere: string[] } {
  return { release: remove.filter((d) => inRoomNow.has(d)), elsewhere: remove.filter((d) => !inRoomNow.has(d)) };
}
