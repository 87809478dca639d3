// The Create / Update / Delete flow shared by rooms, room profiles and skill groups; each kind supplies its
// A4B calls. Physical id = the A4B ARN.
import { Attributes, isSystemTag, RENAMED_FROM_TAG, RoomProfileProps, RoomProps, SkillGroupProps } from '../../contract';
import { CfnEvent, CfnResult, currentRequest, ResourceError } from '../cfn';
import { listTags } from '../../runtime/a4b/client';
import { a4b } from './client';
import { applyOwnership, holderText, onDelete, onTakeOver, onUpdate, ownerId, ownerTags, providerName, readOwnership } from './ownership';
import { UNRESOLVED_NAME } from './names';
import { Tag } from '../properties';
import { describeResource, failedCreateId, isA4bArn, pendingCreateId, pendingCreateToken, requestToken, Steps } from './steps';

export interface ResourceKind<S> {
  /** The ARN's resource type. */
  readonly arnKind: 'room' | 'profile' | 'skill-group';
  /** How messages name it. */
  readonly label: string;
  /** The A4B operations behind `create` and `find`, for error messages. */
  readonly operations: { readonly create: string; readonly find: string; readonly read: string; readonly rename: string };
  read(props: Record<string, unknown>, resource: string): S;
  name(spec: S): string;
  adoptExisting(spec: S): boolean;
  /** Creates it and returns the ARN. `token` makes a re-delivered request idempotent; `systemTags` say who holds it. */
  create(spec: S, token: string, steps: Steps, systemTags: Tag[]): Promise<string>;
  /** Associations and other calls that follow a create. */
  afterCreate(arn: string, spec: S, steps: Steps): Promise<void>;
  /** The ARN of an existing resource with this name, as a name search finds it (A4B_FILTER_MATCH; another case: findExisting). */
  find(name: string): Promise<string | undefined>;
  /**
   * After a create met its name in use (A4B names are unique ignoring case): the resource that holds the name, as A4B
   * spells it; `plainlySame` when it is plainly the declared one renamed in case only (for resources no request marked).
   */
  findExisting(spec: S, steps: Steps): Promise<{ arn: string; name: string; plainlySame: boolean } | undefined>;
  /** The live state, as far as A4B can read it, in the shape of a spec (for adoption). */
  readLive(arn: string, desired: S): Promise<S>;
  /** Brings `arn` from `before` to `after`; `adopting` leaves what A4B cannot clear instead of failing. */
  update(arn: string, before: S, after: S, steps: Steps, adopting: boolean): Promise<void>;
  delete(arn: string): Promise<void>;
  /** Gives it another name (a takeover's rename, and its undoing). */
  rename(arn: string, name: string): Promise<void>;
}

export async function handleResource<S>(kind: ResourceKind<S>, event: CfnEvent): Promise<CfnResult> {
  const props = event.ResourceProperties ?? {};
  const resource = describeResource(kind.label, typeof props[nameProp(props)] === 'string' ? String(props[nameProp(props)]) : undefined, event);
  const scope = currentRequest();
  if (scope) scope.resource = resource;
  const me = ownerId(event.StackId, event.LogicalResourceId);
  const provider = providerName(props.ServiceToken);
  const slow = 'deploy again once A4B answers in time, or give the RoomsProvider a longer timeout';
  if (event.RequestType === 'Delete') {
    if (scope) scope.retryHint = `The ${kind.label} is not deleted yet: ${slow}.`;
    const pending = pendingCreateToken(event.PhysicalResourceId);
    if (pending) {
      await undoPendingCreate(kind, props, resource, pending, event.PhysicalResourceId!, ownerTags(me, provider));
      return { PhysicalResourceId: event.PhysicalResourceId! };
    }
    // Deletes act on the physical id alone: properties may be from an older version of this library, or missing.
    const arn = event.PhysicalResourceId;
    if (!isA4bArn(arn, kind.arnKind)) return { PhysicalResourceId: arn ?? failedCreateId(event) };
    const steps = new Steps(resource, arn);
    let operation = 'ListTags';
    try {
      const d = onDelete(await readOwnership(arn), me);
      operation = 'Delete';
      if (d.action === 'keep') {
        if (d.restoreName !== undefined) await steps.run(kind.operations.rename, `gave it back its name '${d.restoreName}'`, () => kind.rename(arn, d.restoreName!));
        await steps.run('TagResource', 'recorded who holds it', () => applyOwnership(arn, d));
        // Said in the provider's log and as the event's status reason (which local deploy prints beside the delete).
        console.log(JSON.stringify({ resource, arn, notDeleted: d.note }));
        return { PhysicalResourceId: arn, Reason: `${resource}: ${kind.label} ${arn} not deleted, ${d.note}` };
      }
      await kind.delete(arn);
    } catch (e) {
      if ((e as { name?: string }).name !== 'NotFoundException') throw steps.failure(e, operation);
    }
    return { PhysicalResourceId: arn };
  }
  const spec = kind.read(props, resource);
  const result = (arn: string): CfnResult => ({ PhysicalResourceId: arn, Data: { [Attributes.ARN]: arn, [Attributes.NAME]: kind.name(spec) } });

  switch (event.RequestType) {
    case 'Create': {
      if (scope) scope.retryHint = `Nothing was created; ${slow}.`;
      if (kind.adoptExisting(spec)) {
        const existing = await new Steps(resource, failedCreateId(event)).run(kind.operations.find, 'looked for an existing one', () => kind.find(kind.name(spec)));
        if (existing) {
          // On failure keep the ARN out of the physical id: CloudFormation's rollback must not delete a resource it never created.
          const steps = new Steps(resource, failedCreateId(event));
          const held = await readOwnership(existing).catch((e) => {
            throw steps.failure(e, 'ListTags');
          });
          steps.applied.push(`adopted existing ${kind.label} ${existing}${held.owner !== undefined && held.owner !== me ? ` from ${holderText(held.owner)}` : ''}`);
          if (scope) scope.retryHint = `The adopted ${kind.label} keeps what was applied and stays out of the stack; ${slow}, which finishes the adoption.`;
          await kind.update(existing, await kind.readLive(existing, spec), spec, steps, true);
          // Marked last: until then its holder (if any) still holds it, and a failure leaves it with that holder.
          const take = onTakeOver(held, me, event.StackId, provider, true);
          await steps.run('TagResource', 'recorded that this stack holds it', () => applyOwnership(existing, take));
          return result(existing);
        }
      }
      const steps = new Steps(resource, failedCreateId(event));
      let arn: string;
      const created = `CloudFormation's rollback deletes what this request created; ${slow}.`;
      if (scope) {
        scope.physicalResourceId = pendingCreateId(event);
        scope.retryHint = `A4B may still complete the ${kind.operations.create}: CloudFormation's rollback Delete asks A4B for it by this request's token and deletes it; ${slow}.`;
      }
      try {
        arn = await kind.create(spec, requestToken(event), steps, ownerTags(me, provider));
      } catch (e) {
        if ((e as { name?: string }).name !== 'AlreadyExistsException') throw steps.failure(e, kind.operations.create);
        if (scope) scope.physicalResourceId = failedCreateId(event);
        return result(await takeOver(kind, spec, e, steps, resource, { me, stackId: event.StackId, provider }));
      }
      steps.applied.push(`created ${kind.label} ${arn}`);
      if (scope) {
        scope.physicalResourceId = arn;
        scope.retryHint = created;
      }
      try {
        await kind.afterCreate(arn, spec, steps);
      } catch (e) {
        throw new ResourceError(`${(e as Error).message} ${await undoCreate(kind, arn)}`, arn);
      }
      return result(arn);
    }
    case 'Update': {
      const arn = event.PhysicalResourceId;
      if (!isA4bArn(arn, kind.arnKind)) {
        throw new ResourceError(`${resource}: physical id ${arn} is not an A4B ${kind.label} ARN, so there is nothing to update: remove the resource from the stack and add it again`, arn);
      }
      if (scope) scope.retryHint = `CloudFormation's rollback Update restores the previous properties (each step is idempotent); ${slow}.`;
      const before = kind.read(event.OldResourceProperties ?? {}, `${resource} (previous properties)`);
      const steps = new Steps(resource, arn);
      const d = onUpdate(await readOwnership(arn).catch((e) => {
        throw steps.failure(e, 'ListTags');
      }), me, provider);
      if (d.action === 'refuse') throw steps.refuse(`${kind.label} ${arn}: ${d.note}`);
      await kind.update(arn, before, spec, steps, false);
      if (Object.keys(d.put).length || d.remove.length) await steps.run('TagResource', 'recorded that this stack holds it', () => applyOwnership(arn, d));
      return result(arn);
    }
  }
}

/**
 * A Create met its name in use. The resource that holds the name is taken over when ownership allows it (the same
 * provider holds it: the declaration moved to a new logical id), marked first with its previous holder so that a
 * rollback's Delete hands it back, renamed when only the case differs, then brought to the declared state.
 */
async function takeOver<S>(
  kind: ResourceKind<S>, spec: S, createError: unknown, steps: Steps, resource: string, holder: { me: string; stackId: string; provider?: string },
): Promise<string> {
  const { me, stackId, provider } = holder;
  const existing = await kind.findExisting(spec, steps).catch(() => undefined);
  const held = existing && await readOwnership(existing.arn).catch(() => undefined);
  const d = existing && held && onTakeOver(held, me, stackId, provider, false, existing.plainlySame);
  if (!existing || !d || d.action !== 'take') {
    const why = held?.owner !== undefined ? `${existing!.arn}, ${d!.note}` : existing?.arn;
    throw steps.failure(createError, kind.operations.create, why);
  }
  const arn = existing.arn;
  const put = { ...d.put };
  // The rename is undone by a rollback's hand-back; the old name is kept base64url (tag values take no parentheses).
  if (existing.name !== kind.name(spec) && held!.renamedFrom === undefined) put[RENAMED_FROM_TAG] = Buffer.from(existing.name).toString('base64url');
  const took = new Steps(resource, arn);
  took.applied.push(...steps.applied);
  await took.run('TagResource', `took over ${kind.label} ${arn}${held!.owner !== undefined && held!.owner !== me ? ` from ${holderText(held!.owner)}` : ''}`,
    () => applyOwnership(arn, { ...d, put }));
  // Marked, it is this request's: a failure from here names it, so the rollback's Delete reaches it and hands it back.
  const scope = currentRequest();
  if (scope) scope.physicalResourceId = arn;
  if (existing.name !== kind.name(spec)) {
    await took.run(kind.operations.rename, `renamed ${kind.label} '${existing.name}' to '${kind.name(spec)}'`, () => kind.rename(arn, kind.name(spec)));
  }
  const live = await kind.readLive(arn, spec).catch((x) => {
    throw took.failure(x, kind.operations.read);
  });
  await kind.update(arn, live, spec, took, true);
  return arn;
}

/** A failed create must not leave a half-configured resource behind; say what became of it. */
async function undoCreate<S>(kind: ResourceKind<S>, arn: string): Promise<string> {
  try {
    await kind.delete(arn);
    return `The new ${kind.label} ${arn} was deleted again, so nothing is left behind.`;
  } catch {
    return `Deleting the new ${kind.label} ${arn} again failed too; CloudFormation's rollback deletes it.`;
  }
}

/**
 * The rollback Delete of a Create stopped while its create call had not answered: A4B may have made the resource after
 * all. Replaying the call with the same ClientRequestToken returns what the first one made (or makes it now), and
 * that is deleted, so nothing is left either way.
 */
async function undoPendingCreate<S>(
  kind: ResourceKind<S>, props: Record<string, unknown>, resource: string, token: string, physicalId: string, systemTags: Tag[],
): Promise<void> {
  let arn: string;
  try {
    arn = await kind.create(kind.read(props, resource), token, new Steps(resource, physicalId), systemTags);
  } catch (e) {
    // Refused: the name is another resource's or a reference is gone, so the first call cannot have made anything.
    if (REFUSED.has((e as { name?: string }).name ?? '')) return;
    throw new Steps(resource, physicalId).failure(e, `${kind.operations.create} (replayed with the stopped create's token, to delete what it made)`);
  }
  try {
    await kind.delete(arn);
  } catch (e) {
    if ((e as { name?: string }).name !== 'NotFoundException') throw new Steps(resource, physicalId).failure(e, 'Delete');
  }
}

const REFUSED = new Set(['AlreadyExistsException', 'NameInUseException', 'NotFoundException', 'ValidationException', 'LimitExceededException', UNRESOLVED_NAME]);

function nameProp(props: Record<string, unknown>): string {
  return [RoomProps.NAME, RoomProfileProps.NAME, SkillGroupProps.NAME].find((p) => p in props) ?? 'Name';
}


/** A resource's tags as A4B has them now: those a stack declares, unless `all` (system tags too). */
export async function liveTags(arn: string, all = false): Promise<Tag[]> {
  return (await listTags(a4b, arn)).filter((t) => all || !isSystemTag(t.Key));
}
