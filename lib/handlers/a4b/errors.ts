// Turns an A4B error into a stack-event reason that names the resource, the A4B error and the fix.
import { Quotas } from '../../contract';

export interface ErrorContext {
  /** e.g. `room 'Board Room' (BoardRoom)` */
  readonly resource: string;
  /** The A4B operation that failed. */
  readonly operation: string;
  /** What earlier calls of this request already changed, said so that nothing is half-applied without a word. */
  readonly applied?: readonly string[];
  /** Extra words for an AlreadyExists error (the existing resource's ARN). */
  readonly existing?: string;
}

export function describeError(err: unknown, ctx: ErrorContext): string {
  const e = err as { name?: string; message?: string; $metadata?: { attempts?: number; httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const attempts = e?.$metadata?.attempts;
  const what = `${ctx.resource}: ${ctx.operation} failed with ${name}: ${e?.message ?? String(err)}`;
  const fix = fixFor(name, e?.$metadata?.httpStatusCode, attempts, ctx);
  const applied = ctx.applied?.length ? ` Already applied in this request: ${ctx.applied.join('; ')}.` : '';
  return `${what}. ${fix}${applied}`;
}

function fixFor(name: string, status: number | undefined, attempts: number | undefined, ctx: ErrorContext): string {
  switch (name) {
    case 'AlreadyExistsException':
      return `An A4B resource with this name already exists${ctx.existing ? ` (${ctx.existing})` : ''}: set adoptExisting to true to manage it from this stack, or choose another name`;
    case 'NameInUseException':
      return 'Another A4B resource already has this name: rename one of them';
    case 'LimitExceededException':
      return `This is an A4B account quota, not a rate limit, so it was not retried (quotas: ${Quotas.ROOMS} rooms, ${Quotas.ROOM_PROFILES} room profiles, `
        + `${Quotas.SKILL_GROUPS} skill groups, ${Quotas.DEVICES_PER_ROOM} devices per room): remove unused resources or request a quota increase`;
    case 'NotFoundException':
      return 'It no longer exists in A4B (deleted outside CloudFormation?) or a referenced profile, skill group or room is gone: check the referenced ARNs';
    case 'DeviceNotRegisteredException':
      return 'Check deviceArns: the device must be registered in this A4B account';
    case 'ValidationException':
    case 'SerializationException':
      return 'A4B rejected the input: fix the property named in the message';
    case 'ConcurrentModificationException':
      return `A4B still reported a concurrent change after ${attempts ?? 'several'} attempts: deploy again once other changes to this resource have finished`;
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
      return 'The provider\'s role or credentials may not call A4B: check its IAM policy and the A4B region';
    case 'CredentialsProviderError':
      return 'No AWS credentials were found for the A4B client';
    default:
      if ((status !== undefined && status >= 500) || /Throttl|TooManyRequests/.test(name) || status === 429) {
        return `A4B kept failing after ${attempts ?? 'several'} attempts: deploy again later`;
      }
      if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(name) || /ECONNREFUSED|ENOTFOUND/.test(String(status))) {
        return 'The A4B endpoint could not be reached: check AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS and the network';
      }
      return 'See the A4B error above';
  }
}
