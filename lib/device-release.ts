import { Construct } from 'constructs';
import { DeviceReleaseProps as D, ReleasedRoomProps as R, ResourceTypes } from './contract';
import { providerResource } from './provider-resource';

/** @internal */
export interface DeviceReleaseProps {
  /** The rooms whose devices it releases (their updates then leave that to it), each with its declared devices. */
  readonly rooms: Array<{ readonly name: string; readonly devices: string[] }>;
}

/**
 * @internal A custom resource that runs after every room of an inventory and takes out of these rooms the devices
 * they no longer declare, unless the device is in another room by then (moved in the same deploy).
 */
export class DeviceRelease extends Construct {
  constructor(scope: Construct, id: string, props: DeviceReleaseProps) {
    super(scope, id);
    providerResource(this, 'Resource', {
      type: ResourceTypes.DEVICE_RELEASE,
      properties: { [D.ROOMS]: props.rooms.map((r) => ({ [R.NAME]: r.name, [R.DEVICES]: r.devices })) },
    });
  }
}
