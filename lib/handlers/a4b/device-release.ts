// Takes devices out of an inventory's rooms after every room of the deploy has been updated. DisassociateDeviceFromRoom
// names only the device, so run by the room that lost a device it could take the device out of the room that gained
// it in the same deploy (rooms in other nested stacks are updated at the same time, and A4B has no conditional
// disassociate). Run last, it sees every association already made: a device now in another room is left there.
import { DisassociateDeviceFromRoomCommand } from '@aws-sdk/client-alexa-for-business';
import { a4bNameKey, DeviceReleaseProps as D, ReleasedRoomProps as R } from '../../contract';
import { CfnEvent, CfnResult, ResourceError } from '../cfn';
import { a4b } from './client';
import { devicesOfRoom } from '../../runtime/a4b/query';
import { Steps } from './steps';

export interface DeviceHolding {
  readonly room: string;
  readonly device: string;
}

export function readHoldings(props: Record<string, unknown>, resource: string): DeviceHolding[] {
  const rooms = props[D.ROOMS] ?? [];
  if (!Array.isArray(rooms)) throw new ResourceError(`${resource}: property ${D.ROOMS} must be a list of { ${R.NAME}, ${R.DEVICES} }`);
  return rooms.flatMap((r: Record<string, unknown> | undefined, i) => {
    const name = r?.[R.NAME];
    const devices = r?.[R.DEVICES];
    if (typeof name !== 'string' || !Array.isArray(devices) || devices.some((d) => typeof d !== 'string')) {
      throw new ResourceError(`${resource}: ${D.ROOMS}[${i}] must be { ${R.NAME}, ${R.DEVICES}: [device ARNs] }`);
    }
    return (devices as string[]).map((device) => ({ room: name, device }));
  });
}

/** Devices a room held before and holds no longer, unless another room of this release holds them now (a move). */
export function releasedDevices(before: readonly DeviceHolding[], after: readonly DeviceHolding[]): DeviceHolding[] {
  const now = new Set(after.map((h) => `${a4bNameKey(h.room)}\n${h.device}`));
  const held = new Set(after.map((h) => h.device));
  return before.filter((h) => !now.has(`${a4bNameKey(h.room)}\n${h.device}`) && !held.has(h.device));
}

export async function onDeviceReleaseEvent(event: CfnEvent): Promise<CfnResult> {
  const id = event.PhysicalResourceId ?? `device-release-${event.LogicalResourceId}`;
  // A first deploy releases nothing, and a removed release leaves devices to the rooms' own deletes.
  if (event.RequestType !== 'Update') return { PhysicalResourceId: id };
  const resource = `device release (${event.LogicalResourceId})`;
  const released = releasedDevices(readHoldings(event.OldResourceProperties ?? {}, resource), readHoldings(event.ResourceProperties ?? {}, resource));
  const steps = new Steps(resource, id);
  const byRoom = new Map<string, string[]>();
  for (const h of released) byRoom.set(h.room, [...(byRoom.get(h.room) ?? []), h.device]);
  for (const [room, devices] of byRoom) {
    const here = await steps.run('SearchDevices', `read the devices of room '${room}'`, () => devicesOfRoom(a4b, { name: room }));
    const inRoom = new Set(here.map((d) => d.DeviceArn));
    for (const d of devices.filter((x) => inRoom.has(x))) {
      await steps.run('DisassociateDeviceFromRoom', `took device ${d} out of room '${room}'`, () => a4b.send(new DisassociateDeviceFromRoomCommand({ DeviceArn: d })));
    }
  }
  return { PhysicalResourceId: id };
}
