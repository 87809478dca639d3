import { CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { ResourceTypes, ROOM_KEY_CHARS, RoomDeletionGuardProps as G } from './contract';
import { providerResource } from './provider-resource';

/** @internal */
export interface RoomDeletionGuardProps {
  /** Where the rooms are declared, for messages. */
  readonly inventory: string;
  /** Each room resource as `<nested stack id>/<construct id>`: moving a room to another shard deletes it too. */
  readonly rooms: string[];
  readonly maxRoomDeletions: number;
}

/**
 * @internal A custom resource that every write of an inventory waits for: an update that would delete more rooms
 * than `maxRoomDeletions` fails, and CloudFormation rolls the deploy back before its cleanup phase deletes anything.
 */
export class RoomDeletionGuard extends Construct {
  public readonly resource: CfnResource;

  constructor(scope: Construct, id: string, props: RoomDeletionGuardProps) {
    super(scope, id);
    this.resource = providerResource(this, 'Resource', {
      type: ResourceTypes.ROOM_DELETION_GUARD,
      properties: {
        [G.INVENTORY]: props.inventory,
        // 8 characters a room keeps 10,000 rooms at 80 KB of template; sorted, so the order of the file changes nothing.
        [G.ROOMS]: props.rooms.map(roomKey).sort().join(''),
        [G.MAX_DELETIONS]: props.maxRoomDeletions,
      },
    });
  }
}

/** 48 bits of SHA-256, base64url: a collision among 10,000 rooms is about a one in five million chance, and only undercounts. */
function roomKey(room: string): string {
  return createHash('sha256').update(room).digest().subarray(0, 6).toString('base64url').slice(0, ROOM_KEY_CHARS);
}
