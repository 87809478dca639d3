// Which resource of which stack holds an A4B room, room profile or skill group (OWNER_TAG in the contract), and what
// each request may do about it. CloudFormation replaces a resource whose logical id changes by creating the new one
// first and deleting the old one in its cleanup phase, and a failed deploy's rollback deletes what the deploy created:
// both Deletes reach an A4B resource that another resource may hold by then. The decisions are pure (table-tested);
// `readOwnership` and `applyOwnership` are the two A4B calls behind them.
import { createHash } from 'crypto';
import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-alexa-for-business';
import { OWNER_NONE, OWNER_PROVIDER_TAG, OWNER_TAG, PREVIOUS_OWNER_TAG, RENAMED_FROM_TAG } from '../../contract';
import { listTags } from '../../runtime/a4b/client';
import { a4b } from './client';

export interface Ownership {
  /** The holder's identity (`ownerId`); undefined for a resource no request of this library has marked. */
  readonly owner?: string;
  /** Who held it before a takeover that is not confirmed yet (OWNER_NONE: nobody recorded). */
  readonly previous?: string;
  /** The holder's provider function name. */
  readonly provider?: string;
  /** A takeover's rename: the old name, base64url. */
  readonly renamedFrom?: string;
}

/** What a request does about ownership: its tag changes, and whether it may go on. */
export interface OwnershipDecision {
  /**
   * delete / update / take: the request does its A4B work; keep: a Delete leaves the resource in A4B;
   * refuse: the request fails, with `note` as the reason.
   */
  readonly action: 'delete' | 'update' | 'take' | 'keep' | 'refuse';
  readonly put: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
  /** A hand-back gives the resource the name it had before the takeover renamed it. */
  readonly restoreName?: string;
  /** What to tell the operator (kept resources, refusals). */
  readonly note?: string;
}

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * A resource's identity as CloudFormation names it: `<StackId>/<LogicalResourceId>` (the stack id's UUID tells a
 * stack from an earlier one of the same name). A4B tag values take 256 characters of a restricted set; a longer or
 * odder identity is hashed.
 */
export function ownerId(stackId: string, logicalId: string): string {
  const id = `${stackId}/${logicalId}`;
  return id.length <= 256 && TAG_VALUE.test(id) ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** The provider function's name, from the ServiceToken every custom resource carries (a Lambda function ARN). */
export function providerName(serviceToken: unknown): string | undefined {
  if (typeof serviceToken !== 'string') return undefined;
  const m = /^arn:[a-z-]+:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(serviceToken);
  const name = m?.[1] ?? serviceToken;
  return name && name.length <= 256 && TAG_VALUE.test(name) ? name : undefined;
}

/** How a message names a holder. */
export function holderText(owner: string): string {
  // The logical id is the last segment, the stack's UUID the one before it; a stack name has no slash in AWS.
  const m = /^arn:[^:]+:cloudformation:[^:]*:[^:]*:stack\/(.+)\/[^/]+\/([^/]+)$/.exec(owner);
  return m ? `resource ${m[2]} of stack ${m[1]}` : `resource ${owner}`;
}

function decision(action: OwnershipDecision['action'], put: Record<string, string> = {}, remove: string[] = [], extra: Partial<OwnershipDecision> = {}): OwnershipDecision {
  return { action, put, remove, ...extra };
}

/** The tags of a takeover that is now confirmed (or never happened). */
function confirmed(o: Ownership): string[] {
  return [...(o.previous !== undefined ? [PREVIOUS_OWNER_TAG] : []), ...(o.renamedFrom !== undefined ? [RENAMED_FROM_TAG] : [])];
}

/**
 * A Delete of resource `me`. Unmarked: ours to delete (made before ownership was recorded). Held by another resource:
 * kept (the cleanup after a move); if the takeover was from us (or from nobody recorded), our leaving confirms it.
 * Held by us after a takeover not yet confirmed: the deploy that took it over is being rolled back, so it goes back to
 * the previous holder (or, taken from nobody, it stays unmarked), under its old name.
 */
export function onDelete(o: Ownership, me: string): OwnershipDecision {
  if (o.owner === undefined) return decision('delete');
  if (o.owner !== me) {
    const confirm = o.previous === me || o.previous === OWNER_NONE ? confirmed(o) : [];
    return decision('keep', {}, confirm, { note: `kept: ${holderText(o.owner)} holds it now` });
  }
  if (o.previous === undefined) return decision('delete');
  const restoreName = o.renamedFrom === undefined ? undefined : Buffer.from(o.renamedFrom, 'base64url').toString('utf8');
  if (o.previous === OWNER_NONE) {
    return decision('keep', {}, [OWNER_TAG, OWNER_PROVIDER_TAG, ...confirmed(o)], {
      restoreName,
      note: 'kept: it existed before this stack took it over (adoptExisting), and no later deploy has confirmed the takeover; '
        + 'it stays in A4B, no longer managed: delete it in A4B if it should go',
    });
  }
  return decision('keep', { [OWNER_TAG]: o.previous }, confirmed(o), { restoreName, note: `kept: handed back to ${holderText(o.previous)}, which held it before this deploy` });
}

/**
 * An Update of resource `me`: an unmarked resource is marked ours; an unconfirmed takeover by us is confirmed (an
 * Update means the deploy that made us succeeded). A resource another resource holds is refused before any change:
 * two declarations of one A4B resource, or a takeover from us in this very deploy (a room renamed while a new room
 * takes its old name) that the deploy must not undo silently; the refusal rolls the deploy back, which hands it back.
 */
export function onUpdate(o: Ownership, me: string, provider: string | undefined): OwnershipDecision {
  const providerTag: Record<string, string> = provider && provider !== o.provider ? { [OWNER_PROVIDER_TAG]: provider } : {};
  if (o.owner === undefined) return decision('update', { [OWNER_TAG]: me, ...providerTag });
  if (o.owner === me) return decision('update', providerTag, confirmed(o));
  return decision('refuse', {}, [], {
    note: o.previous === me
      ? `${holderText(o.owner)} took it over from this resource in a deploy that has not completed (did a new resource take its name while `
        + 'this one is renamed? Deploy the rename first, then the new room): nothing was changed'
      : `${holderText(o.owner)} holds it (it took it over, or declares it too): nothing was changed. Declare it in one place only; `
        + 'to move it here, remove the other declaration, or deploy this one with adoptExisting',
  });
}

/**
 * A Create that meets an existing resource of its name: `adopt` (adoptExisting) takes it from anyone; otherwise it is
 * taken when a resource of the same stack, or of the same provider (nested stacks, stacks sharing it), holds it: the
 * declaration moved to a new logical id. An unmarked one is taken only when `plainlySame` (an unmarked room
 * renamed in case only, same profile and mailbox). The previous holder is recorded for a rollback's hand-back.
 */
export function onTakeOver(
  o: Ownership, me: string, stackId: string, provider: string | undefined, adopt: boolean, plainlySame = false,
): OwnershipDecision {
  if (o.owner === me) return decision('take');
  const take = () => decision('take', { [OWNER_TAG]: me, [PREVIOUS_OWNER_TAG]: o.owner ?? OWNER_NONE, ...(provider ? { [OWNER_PROVIDER_TAG]: provider } : {}) });
  if (adopt) return take();
  if (o.owner !== undefined && o.owner.startsWith(`${stackId}/`)) return take();
  if (o.owner !== undefined && provider !== undefined && o.provider === provider) return take();
  if (o.owner === undefined && plainlySame) return take();
  return decision('refuse', {}, [], {
    note: o.owner === undefined ? 'no stack is recorded as holding it' : `held by ${holderText(o.owner)}, through another provider`,
  });
}

export async function readOwnership(arn: string): Promise<Ownership> {
  const tags = new Map((await listTags(a4b, arn)).map((t) => [t.Key, t.Value]));
  return {
    owner: tags.get(OWNER_TAG), previous: tags.get(PREVIOUS_OWNER_TAG),
    provider: tags.get(OWNER_PROVIDER_TAG), renamedFrom: tags.get(RENAMED_FROM_TAG),
  };
}

/** The decision's tag changes: the new ones first, so a resource is never left without a holder it had. */
export async function applyOwnership(arn: string, d: OwnershipDecision): Promise<void> {
  const put = Object.entries(d.put);
  if (put.length) await a4b.send(new TagResourceCommand({ Arn: arn, Tags: put.map(([Key, Value]) => ({ Key, Value })) }));
  const remove = d.remove.filter((k) => !(k in d.put));
  if (remove.length) await a4b.send(new UntagResourceCommand({ Arn: arn, TagKeys: remove }));
}

/** The tags a Create gives what it makes: who holds it. */
export function ownerTags(me: string, provider: string | undefined): Array<{ Key: string; Value: string }> {
  return [{ Key: OWNER_TAG, Value: me }, ...(provider ? [{ Key: OWNER_PROVIDER_TAG, Value: provider }] : [])];
}
