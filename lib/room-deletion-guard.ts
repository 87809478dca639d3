import { CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ResourceTypes, ROOM_NO_ID, RoomDeletionGuardProps as G } from './contract';
import { guardRoomKey } from './inventory/names';
import { providerResource } from './provider-resource';

/** @internal */
export interface RoomDeletionGuardProps {
  /** Where the rooms are declared, for messages. */
  readonly inventory: string;
  /** Each room by its A4B name and stable id: what a deploy deletes is a room whose name and id are both gone. */
  readonly rooms: Array<{ readonly name: string; readonly id?: string }>;
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
        // 8 characters a room keep 10,000 rooms at 80 KB of template, and an Update's old and new lists within Lambda's
        // 256 KB event; sorted, so the order of the file changes nothing.
        [G.ROOM_NAMES]: props.rooms.map((r) => guardRoomKey(r.name, r.id, ROOM_NO_ID)).sort().join(''),
        [G.MAX_DELETIONS]: props.maxRoomDeletions,
      },
    });
  }
}
