// Room profiles and skill groups a room names instead of giving their ARNs (a room in another nested stack than its
// profile and skill groups, with no CloudFormation parameter per reference): resolved to ARNs at deploy time.
//
// Thousands of rooms of one deploy name the same 100 profiles and 1,000 skill groups, and A4B's request rate is what a
// first deploy waits for, so resolved names are kept per Lambda container (module scope), for CACHE_TTL_MS. A4B names
// are unique ignoring case, so a name and its ARN are cached under its `a4bNameKey`. A search asks A4B for the names
// (`Filters: [{ Key: 'ProfileName' | 'SkillGroupName', Values: names }]`, up to 50 names a request); what the search
// does not find (a name given in another case, when filters match exactly: A4B_FILTER_MATCH) is looked for in the
// whole list once, ignoring case, which fills the cache too.
// A container that has made as many searches of a kind as the whole list has pages at A4B's quota (2 for profiles,
// 20 for skill groups) is serving a large deploy: its next miss reads the whole list instead, so that a container
// serving a thousand rooms makes a few dozen searches rather than one for most rooms.
import { A4B_FILTER_MATCH, A4B_MAX_FILTER_VALUES, A4B_MAX_RESULTS, a4bNameKey, Quotas } from '../../contract';
import { Clock, realClock } from '../../runtime/clock';
import { ResourceError } from '../cfn';
import { a4b } from './client';
import { FilterKeys, SearchFilter, searchProfiles, searchSkillGroups } from '../../runtime/a4b/query';
import { Steps } from './steps';

export type NamedKind = 'profile' | 'skillGroup';

/** A name resolved to its ARN; `name` as A4B spells it; `cached` when no A4B request was made for it now. */
export interface Resolved {
  readonly arn: string;
  readonly name: string;
  readonly cached: boolean;
}

/**
 * How long a container trusts a resolved name. A stale entry pointing to a deleted resource is caught by A4B's
 * NotFoundException (and resolved again); this bounds the one case A4B cannot catch: a profile or skill group renamed
 * in place, outside this container, and its old name given to another one.
 */
export const CACHE_TTL_MS = 10 * 60_000;

/** The error name of an unresolvable name (so a rollback's replayed create knows the first one made nothing). */
export const UNRESOLVED_NAME = 'UnresolvedNameError';

interface Entry { readonly arn: string; readonly name: string; readonly at: number }

const KINDS = {
  profile: {
    label: 'room profile', labels: 'room profiles', operation: 'SearchProfiles', key: FilterKeys.PROFILE_NAME,
    listAfter: Math.ceil(Quotas.ROOM_PROFILES / A4B_MAX_RESULTS),
    search: (filters?: SearchFilter[]) => searchProfiles(a4b, filters).then((ps) => ps.map((p) => ({ arn: p.ProfileArn!, name: p.ProfileName! }))),
  },
  skillGroup: {
    label: 'skill group', labels: 'skill groups', operation: 'SearchSkillGroups', key: FilterKeys.SKILL_GROUP_NAME,
    listAfter: Math.ceil(Quotas.SKILL_GROUPS / A4B_MAX_RESULTS),
    search: (filters?: SearchFilter[]) => searchSkillGroups(a4b, filters)
      .then((gs) => gs.map((g) => ({ arn: g.SkillGroupArn!, name: g.SkillGroupName! }))),
  },
} as const;

const cache: Record<NamedKind, Map<string, Entry>> = { profile: new Map(), skillGroup: new Map() };
/** Searches under way (the local deploy engine runs several requests in one module instance): asked once, awaited by all. */
const inflight: Record<NamedKind, Map<string, Promise<void>>> = { profile: new Map(), skillGroup: new Map() };
/** Searches by name since the whole list was last read. */
const searched: Record<NamedKind, number> = { profile: 0, skillGroup: 0 };
const ALL = '\u0000all';

const key = a4bNameKey;

/** Records a name and ARN A4B just gave (a create or rename by this provider). */
export function remember(kind: NamedKind, name: string, arn: string, clock: Pick<Clock, 'now'> = realClock): void {
  forget(kind, arn);
  cache[kind].set(key(name), { arn, name, at: clock.now() });
}

/** Drops what the cache holds for a name or an ARN (a delete or rename by this provider, or a stale entry). */
export function forget(kind: NamedKind, nameOrArn: string): void {
  const c = cache[kind];
  c.delete(key(nameOrArn));
  for (const [k, e] of c) if (e.arn === nameOrArn) c.delete(k);
}

/** Empties the cache (tests). */
export function forgetAll(): void {
  cache.profile.clear();
  cache.skillGroup.clear();
  searched.profile = searched.skillGroup = 0;
}

function store(kind: NamedKind, items: Array<{ arn: string; name: string }>, at: number): void {
  for (const i of items) cache[kind].set(key(i.name), { arn: i.arn, name: i.name, at });
}

/** Reads every profile or skill group into the cache (one read at a time per container). */
function listAll(kind: NamedKind, clock: Pick<Clock, 'now'>): Promise<void> {
  const running = inflight[kind].get(ALL);
  if (running) return running;
  searched[kind] = 0;
  const list = KINDS[kind].search().then((items) => store(kind, items, clock.now()))
    .finally(() => inflight[kind].delete(ALL));
  inflight[kind].set(ALL, list);
  return list;
}

/**
 * The names found, by lower-cased name. Cached ones cost nothing; the others one search per 50 (several names at once),
 * and those it does not find one read of the whole list. `fresh` ignores the cache.
 */
export async function lookup(kind: NamedKind, names: readonly string[], fresh = false, clock: Pick<Clock, 'now'> = realClock): Promise<Map<string, Resolved>> {
  const started = clock.now();
  const out = new Map<string, Resolved>();
  const wanted = [...new Map(names.map((n) => [key(n), n])).values()];
  const usable = (e: Entry | undefined, since: number): e is Entry => e !== undefined && e.at >= since;
  let missing = wanted.filter((n) => {
    const e = cache[kind].get(key(n));
    if (!fresh && usable(e, started - CACHE_TTL_MS)) {
      out.set(key(n), { arn: e.arn, name: e.name, cached: true });
      return false;
    }
    return true;
  });
  if (missing.length) {
    const k = KINDS[kind];
    const listed = !fresh && searched[kind] >= k.listAfter;
    if (listed) {
      await listAll(kind, clock);
      missing = missing.filter((n) => !usable(cache[kind].get(key(n)), started));
    }
    const waits: Array<Promise<void>> = [];
    const ask: string[] = [];
    for (const n of missing) {
      const pending = fresh ? undefined : inflight[kind].get(key(n));
      if (pending) waits.push(pending);
      else ask.push(n);
    }
    for (let i = 0; i < ask.length; i += A4B_MAX_FILTER_VALUES) {
      const chunk = ask.slice(i, i + A4B_MAX_FILTER_VALUES);
      searched[kind]++;
      const search = k.search([{ Key: k.key, Values: chunk }]).then((items) => store(kind, items, clock.now()));
      const settled = search.finally(() => chunk.forEach((n) => inflight[kind].get(key(n)) === settled && inflight[kind].delete(key(n))));
      chunk.forEach((n) => inflight[kind].set(key(n), settled));
      waits.push(settled);
    }
    await Promise.all(waits);
    missing = missing.filter((n) => !usable(cache[kind].get(key(n)), started));
    // Filters that match exactly miss a name given in another case: the whole list finds it.
    if (missing.length && !listed && A4B_FILTER_MATCH === 'exact') await listAll(kind, clock);
  }
  for (const n of wanted) {
    const e = cache[kind].get(key(n));
    if (!out.has(key(n)) && usable(e, started)) out.set(key(n), { arn: e.arn, name: e.name, cached: false });
  }
  return out;
}

/** Name resolution for one request: its errors name the resource and what was already applied. */
export class NameResolver {
  constructor(private readonly steps: Steps) {}

  /** The names found (by lower-cased name); one of `required` not found fails the request. */
  async resolve(kind: NamedKind, names: readonly string[], required: readonly string[] = [], fresh = false): Promise<Map<string, Resolved>> {
    if (!names.length) return new Map();
    const found = await lookup(kind, names, fresh).catch((e) => {
      throw this.steps.failure(e, KINDS[kind].operation);
    });
    const missing = required.filter((n) => !found.has(key(n)));
    if (missing.length) throw this.missing(kind, missing);
    return found;
  }

  async one(kind: NamedKind, name: string, required: true): Promise<Resolved>;
  async one(kind: NamedKind, name: string, required: false): Promise<Resolved | undefined>;
  async one(kind: NamedKind, name: string, required: boolean): Promise<Resolved | undefined> {
    return (await this.resolve(kind, [name], required ? [name] : [])).get(key(name));
  }

  /**
   * The resource that holds a name a create was just refused (A4B names are unique ignoring case), read afresh: a
   * cached ARN may be stale.
   */
  async existing(kind: NamedKind, name: string): Promise<{ arn: string; name: string; plainlySame: boolean } | undefined> {
    const found = (await this.resolve(kind, [name], [], true)).get(key(name));
    return found && { arn: found.arn, name: found.name, plainlySame: false };
  }

  /**
   * Runs `call` with a resolved ARN. A cached ARN that A4B no longer knows (NotFoundException: the resource was
   * deleted, maybe re-created under the same name) is dropped and the name resolved once more; then `call` runs again
   * with the new ARN, or, when the name is gone, fails the request (`fail`) or is skipped (`skip`: nothing to undo).
   */
  async withArn<T>(kind: NamedKind, name: string, first: Resolved, call: (arn: string) => Promise<T>, missing: 'fail' | 'skip'): Promise<T | undefined> {
    try {
      return await call(first.arn);
    } catch (e) {
      if ((e as { name?: string }).name !== 'NotFoundException' || !first.cached) throw e;
      forget(kind, first.arn);
      const again = (await this.resolve(kind, [name], [], true)).get(key(name));
      if (!again) {
        if (missing === 'skip') return undefined;
        throw this.missing(kind, [name]);
      }
      if (again.arn === first.arn) throw e;
      return call(again.arn);
    }
  }

  private missing(kind: NamedKind, names: string[]): ResourceError {
    const k = KINDS[kind];
    const shown = names.map((n) => `'${n}'`).join(', ');
    const message = names.length === 1
      ? `${k.label} ${shown} does not exist in A4B (declare it, or check the name)`
      : `${k.labels} ${shown} do not exist in A4B (declare them, or check the names)`;
    const err = this.steps.refuse(message);
    err.name = UNRESOLVED_NAME;
    return err;
  }
}
