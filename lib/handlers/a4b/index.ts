// Lambda entry of the A4B provider: one function serves rooms, room profiles and skill groups (a stack
// singleton), answers CloudFormation on the ResponseURL itself, and never logs the pre-signed URL.
import { ResourceTypes } from '../../contract';
import { CfnEvent, CfnResult, cfnHandler, ResourceError } from '../cfn';
import { onGuardEvent } from './deletion-guard';
import { onDeviceReleaseEvent } from './device-release';
import { handleResource } from './resource';
import { roomKind } from './room';
import { roomProfileKind } from './room-profile';
import { skillGroupKind } from './skill-group';
import { failedCreateId } from './steps';

/** Runs the request and returns the result, or throws a ResourceError whose message is the stack-event reason. */
export async function onEvent(event: CfnEvent): Promise<CfnResult> {
  switch (event.ResourceType) {
    case ResourceTypes.ROOM: return handleResource(roomKind, event);
    case ResourceTypes.ROOM_PROFILE: return handleResource(roomProfileKind, event);
    case ResourceTypes.SKILL_GROUP: return handleResource(skillGroupKind, event);
    case ResourceTypes.ROOM_DELETION_GUARD: return onGuardEvent(event);
    case ResourceTypes.DEVICE_RELEASE: return onDeviceReleaseEvent(event);
    default:
      if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? failedCreateId(event) };
      throw new ResourceError(`${event.LogicalResourceId}: resource type ${event.ResourceType} is not served by this provider`);
  }
}

export const handler = cfnHandler(onEvent, failedCreateId);
