// The declarative room inventory: what a rooms.yaml (or .json) holds once parsed. Pure types.

export interface InventoryCalendarLink {
  readonly tenantId: string;
  readonly method: 'delegate' | 'application';
  readonly serviceAccount?: string;
  readonly applicationId?: string;
  /** Secrets Manager secret name or ARN with the Graph app's credentials. */
  readonly credentialsSecret: string;
  readonly grantMissingPermissions?: boolean;
  readonly acceptedRoles?: string[];
  /** Application method: `graph` and/or `exchange`, the resources whose Calendars.ReadWrite counts as A4B's consent. */
  readonly consentResources?: string[];
}

export interface InventoryProfile {
  readonly name: string;
  readonly address: string;
  readonly timezone: string;
  readonly distanceUnit?: string;
  readonly temperatureUnit?: string;
  readonly wakeWord?: string;
  readonly locale?: string;
  readonly maxVolume?: number;
  readonly setupModeDisabled?: boolean;
  readonly pstnEnabled?: boolean;
  readonly dataRetentionOptIn?: boolean;
  readonly meetingRoom?: {
    readonly endOfMeetingReminder?: { readonly enabled?: boolean; readonly minutes: number; readonly type: string };
    readonly instantBooking?: { readonly enabled?: boolean; readonly durationMinutes: number };
    readonly requireCheckIn?: { readonly enabled?: boolean; readonly releaseAfterMinutes: number };
    readonly roomUtilizationMetrics?: boolean;
    /** A4B's ProactiveJoin; A4B requires `enabledByMotion` whenever it is set. */
    readonly proactiveJoin?: { readonly enabledByMotion: boolean };
  };
  readonly tags?: Record<string, string>;
  readonly adoptExisting?: boolean;
}

export interface InventorySkillGroup {
  readonly name: string;
  readonly description?: string;
  readonly tags?: Record<string, string>;
  readonly adoptExisting?: boolean;
}

export interface InventoryRoom {
  /** A stable key for the room: its name may change while the room (its ARN, its devices) stays. Default: the name. */
  readonly id?: string;
  readonly name: string;
  readonly mailbox?: string;
  readonly profile: string;
  readonly skillGroups?: string[];
  readonly description?: string;
  readonly devices?: string[];
  readonly tags?: Record<string, string>;
  readonly adoptExisting?: boolean;
}

export interface Inventory {
  readonly calendarLink?: InventoryCalendarLink;
  readonly profiles?: InventoryProfile[];
  readonly skillGroups?: InventorySkillGroup[];
  readonly rooms?: InventoryRoom[];
  /** Tags on every room, profile and skill group. */
  readonly tags?: Record<string, string>;
}
