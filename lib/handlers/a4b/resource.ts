// The Create / Update / Delete flow shared by rooms, room profiles and skill groups; each kind supplies its
// A4B calls. Physical id = the A4B ARN.
import { isSystemTag } from '../../contract';
import { CfnEvent, CfnResult, currentRequest, ResourceError } from '../cfn';
import { listTags } from '../../runtime/a4b/client';
import { a4b } from './client';
import { UNRESOLVED_NAME } from './names';
import { allPages } from '../../runtime/a4b/pages';
import { Tag } from '../properties';

export { allPages };
import { describeResource, failedCreateId, isA4bArn, pendingCreateId, pendingCreateToken, requestToken, Steps } from './steps';

export interface ResourceKind<S> {
  /** The ARN's resource type. */
  readonly arnKind: 'room' | 'profile' | 'skill-group';
  /** How messages name it. */
  readonly label: string;
  /** The A4B operations behind `create` and `find`, for error messages. */
  readonly operations: { readonly create: string; readonly find: string };
  read(props: Record<string, unknown>, resource: string): S;
  name(spec: S): string;
  adoptExisting(spec: S): boolean;
  /** Creates it and returns the ARN. `token` makes a re-delivered request idempotent. */
  create(spec: S, token: string, steps: Steps): Promise<string>;
  /** Associations and other calls that follow a create. */
  afterCreate(arn: string, spec: S, steps: Steps): Promise<void>;
  /** The ARN of an existing resource with this name. */
  find(name: string): Promise<string | undefined>;
  /** The live state, as far as A4B can read it, in the shape of a spec (for adoption). */
  readLive(arn: string, desired: S): Promise<S>;
  /** Brings `arn` from `before` to `after`; `adopting` leaves what A4B cannot clear instead of failing. */
  update(arn: string, before: S, after: S, steps: Steps, adopting: boolean): Promise<void>;
  delete(arn: string): Promise<void>;
  /**
   * After a Create met a name in use: the ARN of the resource it may take over instead (a case-only rename within
   * the stack), already renamed and marked; undefined when the name belongs to something else.
   */
  takeOver?(spec: S, steps: Steps): Promise<string | undefined>;
  /** Before a Delete: false when the resource must stay (another resource of the stack holds it now). */
  release?(arn: string, props: Record<string, unknown>): Promise<boolean>;
}

export async function handleResource<S>(kind: ResourceKind<S>, event: CfnEvent): Promise<CfnResult> {
  const props = event.ResourceProperties ?? {};
  const resource = describeResource(kind.label, typeof props[nameProp(props)] === 'string' ? String(props[nameProp(props)]) : undefined, event);
  const scope = currentRequest();
  if (scope) scope.resource = resource;
  const slow = 'deploy again once A4B answers in time, or give the RoomsProvider a longer timeout';
  if (event.RequestType === 'Delete') {
    if (scope) scope.retryHint = `The ${kind.label} is not deleted yet: ${slow}.`;
    const pending = pendingCreateToken(event.PhysicalResourceId);
    if (pending) {
      await undoPendingCreate(kind, props, resource, pending, event.PhysicalResourceId!);
      return { PhysicalResourceId: event.PhysicalResourceId! };
    }
    // Deletes act on the physical id alone: properties may be from an older version of this library, or missing.
    const arn = event.PhysicalResourceId;
    if (!isA4bArn(arn, kind.arnKind)) return { PhysicalResourceId: arn ?? failedCreateId(event) };
    try {
      if (kind.release && !(await kind.release(arn, event.ResourceProperties ?? {}))) return { PhysicalResourceId: arn };
      await kind.delete(arn);
    } catch (e) {
      if ((e as { name?: string }).name !== 'NotFoundException') throw new Steps(resource, arn).failure(e, 'Delete');
    }
    return { PhysicalResourceId: arn };
  }
  const spec = kind.read(props, resource);
  const result = (arn: string): CfnResult => ({ PhysicalResourceId: arn, Data: { Arn: arn, Name: kind.name(spec) } });

  switch (event.RequestType) {
    case 'Create': {
      if (scope) scope.retryHint = `Nothing was created; ${slow}.`;
      if (kind.adoptExisting(spec)) {
        const existing = await new Steps(resource, failedCreateId(event)).run(kind.operations.find, 'looked for an existing one', () => kind.find(kind.name(spec)));
        if (existing) {
          // On failure keep the ARN out of the physical id: CloudFormation's rollback must not delete a resource it never created.
          const steps = new Steps(resource, failedCreateId(event));
          steps.applied.push(`adopted existing ${kind.label} ${existing}`);
          if (scope) scope.retryHint = `The adopted ${kind.label} keeps what was applied and stays out of the stack; ${slow}, which finishes the adoption.`;
          await kind.update(existing, await kind.readLive(existing, spec), spec, steps, true);
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
        arn = await kind.create(spec, requestToken(event), steps);
      } catch (e) {
        const err = e as { name?: string; cause?: unknown };
        if (err.name === 'AlreadyExistsException' && kind.takeOver) {
          const taken = await kind.takeOver(spec, steps);
          if (taken) {
            // From here a failure names the room, so that the rollback's Delete reaches it and gives it its old name back.
            const took = new Steps(resource, taken);
            took.applied.push(...steps.applied);
            const live = await kind.readLive(taken, spec).catch((x) => {
              throw took.failure(x, 'GetRoom');
            });
            await kind.update(taken, live, spec, took, true);
            return result(taken);
          }
        }
        const existing = err.name === 'AlreadyExistsException' ? await kind.find(kind.name(spec)).catch(() => undefined) : undefined;
        throw steps.failure(e, kind.operations.create, existing);
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
      await kind.update(arn, before, spec, new Steps(resource, arn), false);
      return result(arn);
    }
  }
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
  kind: ResourceKind<S>, props: Record<string, unknown>, resource: string, token: string, physicalId: string,
): Promise<void> {
  let arn: string;
  try {
    arn = await kind.create(kind.read(props, resource), token, new Steps(resource, physicalId));
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
  return ['RoomName', 'ProfileName', 'SkillGroupName'].find((p) => p in props) ?? 'Name';
}


/** A resource's tags as A4B has them now: those a stack declares, unless `all` (system tags too). */
export async function liveTags(arn: string, all = false): Promise<Tag[]> {
  return (await listTags(a4b, arn)).filter((t) => all || !isSystemTag(t.Key));
}
