// What to change in A4B to go from one declared state to another: pure, so every case is a table test.
import { a4bNameKey } from '../../contract';
import { Tag } from '../properties';

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

/** References to resources of one kind, by ARN and by name (a room's skill groups are the union of both). */
export interface Refs {
  readonly arns: readonly string[];
  readonly names: readonly string[];
}

/**
 * A change of references, computed on what is declared, with no A4B call: ARNs compared with ARNs, names with names
 * (ignoring case, as A4B does). Only `addNames` and `removeNames` need resolving, and `keptNames` only when ARNs are
 * removed (a removed ARN may still be declared by name).
 */
export interface RefSetChange extends SetChange {
  readonly addNames: string[];
  readonly removeNames: string[];
  readonly keptNames: string[];
  /** Every ARN declared after the change. */
  readonly afterArns: string[];
}

export function refSetChange(before: Refs, after: Refs): RefSetChange {
  const b = new Map(before.names.map((n) => [a4bNameKey(n), n]));
  const a = new Map(after.names.map((n) => [a4bNameKey(n), n]));
  return {
    ...setChange(before.arns, after.arns),
    addNames: [...a].filter(([k]) => !b.has(k)).map(([, n]) => n),
    removeNames: [...b].filter(([k]) => !a.has(k)).map(([, n]) => n),
    keptNames: [...a].filter(([k]) => b.has(k)).map(([, n]) => n),
    afterArns: [...new Set(after.arns)],
  };
}

/** The names a RefSetChange needs resolved. */
export function namesToResolve(change: RefSetChange): string[] {
  return [...change.addNames, ...change.removeNames, ...(change.remove.length ? change.keptNames : [])];
}

/**
 * The ARNs to associate and disassociate, once the names are resolved (`arnOf` undefined: no such name in A4B, so
 * nothing to disassociate). A reference moved between ARN and name, or removed from one list while the other still
 * declares it, changes nothing.
 */
export function resolveRefSetChange(change: RefSetChange, arnOf: (name: string) => string | undefined): SetChange {
  const defined = (x: string | undefined): x is string => x !== undefined;
  const addResolved = change.addNames.map(arnOf).filter(defined);
  const add = new Set([...change.add, ...addResolved]);
  const remove = new Set([...change.remove, ...change.removeNames.map(arnOf).filter(defined)]);
  const stays = new Set([...change.afterArns, ...change.keptNames.map(arnOf).filter(defined), ...addResolved]);
  return {
    add: [...add].filter((x) => !remove.has(x)),
    remove: [...remove].filter((x) => !add.has(x) && !stays.has(x)),
  };
}
