// Runs a request's A4B calls in order and remembers what each one changed, so a failure can say exactly what
// was already applied.
import { createHash } from 'crypto';
import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-alexa-for-business';
import { CfnEvent, currentRequest, ResourceError } from '../cfn';
import { a4b } from './client';
import { describeError } from './errors';
import { TagChange } from './plan';

export class Steps {
  readonly applied: string[] = [];

  constructor(private readonly resource: string, private readonly physicalResourceId?: string) {
    currentRequest()?.applied.push(this.applied);
  }

  /** Runs one call; `done` is recorded when it succeeds, an explained ResourceError is thrown when it fails. */
  async run<T>(operation: string, done: string, call: () => Promise<T>, existing?: string): Promise<T> {
    try {
      const out = await call();
      this.applied.push(done);
      return out;
    } catch (e) {
      throw this.failure(e, operation, existing);
    }
  }

  failure(e: unknown, operation: string, existing?: string): ResourceError {
    if (e instanceof ResourceError) return e;
    return new ResourceError(describeError(e, { resource: this.resource, operation, applied: this.applied, existing }), this.physicalResourceId);
  }

  /** A refusal the handler words itself (`message` says what is wrong and the fix), naming the resource and what was already applied. */
  refuse(message: string): ResourceError {
    const applied = this.applied.length ? ` Already applied in this request: ${this.applied.join('; ')}.` : '';
    return new ResourceError(`${this.resource}: ${message}.${applied}`, this.physicalResourceId);
  }

  async tags(arn: string, change: TagChange): Promise<void> {
    if (change.remove.length) {
      await this.run('UntagResource', `removed tags ${change.remove.join(', ')}`, () => a4b.send(new UntagResourceCommand({ Arn: arn, TagKeys: change.remove })));
    }
    if (change.put.length) {
      await this.run('TagResource', `set tags ${change.put.map((t) => t.Key).join(', ')}`, () => a4b.send(new TagResourceCommand({ Arn: arn, Tags: change.put })));
    }
  }
}

/**
 * The same CloudFormation request always yields the same token, so a re-delivered Create is answered with the
 * resource the first delivery made instead of a duplicate (A4B's ClientRequestToken: 10-150 of [A-Za-z0-9_-]).
 */
export function requestToken(event: CfnEvent): string {
  return 'cfn' + createHash('sha256').update(`${event.StackId}|${event.LogicalResourceId}|${event.RequestId}`).digest('hex').slice(0, 64);
}

/** Physical ids that are A4B ARNs; anything else is a placeholder left by a failed Create, with nothing behind it. */
export function isA4bArn(id: string | undefined, kind: 'room' | 'profile' | 'skill-group'): id is string {
  return !!id && new RegExp(`^arn:[a-z-]+:a4b:[a-z0-9-]*:\\d*:${kind}/`).test(id);
}

/**
 * A physical id for a Create stopped at its deadline while its create call had not answered: A4B may still make the
 * resource. It carries the request's token, so the rollback Delete can ask A4B (a replay of the same token returns
 * what the first call made) and delete it.
 */
export function pendingCreateId(event: CfnEvent): string {
  return `${PENDING_CREATE}${requestToken(event)}`;
}

const PENDING_CREATE = 'pending-create-';

/** The token of a pendingCreateId. */
export function pendingCreateToken(id: string | undefined): string | undefined {
  return id?.startsWith(PENDING_CREATE) ? id.slice(PENDING_CREATE.length) : undefined;
}

/** A physical id for a Create that failed before anything existed: Delete treats it as nothing to do. */
export function failedCreateId(event: CfnEvent): string {
  return `failed-create-${requestToken(event).slice(3, 23)}`;
}

export function describeResource(kind: string, name: string | undefined, event: CfnEvent): string {
  return `${kind} '${name ?? '?'}' (${event.LogicalResourceId})`;
}
