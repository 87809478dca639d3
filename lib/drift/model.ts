// Desired and live state of an A4B account and its Office 365 side, in one shape so the comparison is plain.
// Keys are names lower-cased: A4B names are unique ignoring case.
import { a4bNameKey } from '../contract';

export interface RoomState {
  readonly name: string;
  readonly mailbox?: string;
  readonly description?: string;
  readonly profile?: string;
  /** Undefined: not declared (desired) or not readable (live). */
  readonly devices?: string[];
  readonly tags: Record<string, string>;
  readonly arn?: string;
}

export interface ProfileState {
  readonly name: string;
  /** The settings compared, as flat `field -> value`. */
  readonly fields: Record<string, string | number | boolean | undefined>;
  readonly arn?: string;
}

export interface SkillGroupState {
  readonly name: string;
  readonly description?: string;
  readonly arn?: string;
}

/** What Graph says about one room mailbox. */
export interface MailboxState {
  readonly exists: boolean;
  readonly isRoom: boolean;
  /** What it is instead of a room (a user mailbox, a room list, ...), in words. */
  readonly detail?: string;
  /** The service account's role on the calendar (delegate method); undefined when it has none. */
  readonly serviceAccountRole?: string;
}

export interface AccountState {
  readonly rooms: Map<string, RoomState>;
  readonly profiles: Map<string, ProfileState>;
  readonly skillGroups: Map<string, SkillGroupState>;
}

export interface DesiredLink {
  readonly tenant: string;
  readonly method: 'delegate' | 'application';
  readonly serviceAccount?: string;
  readonly applicationId?: string;
  readonly acceptedRoles: string[];
  /** Application method: `graph`, `exchange`. @default both */
  readonly consentResources?: string[];
  readonly credentialsSecret: string;
  /** Whether a deploy grants what is missing (what `check` words as "would grant"). */
  readonly grantMissingPermissions?: boolean;
}

export interface DesiredState extends AccountState {
  readonly link?: DesiredLink;
}

export interface LiveState extends AccountState {
  /** Per mailbox (lower-cased), when Graph was read. */
  readonly mailboxes: Map<string, MailboxState>;
  /** Application method: whether the A4B app holds the consent. */
  readonly consent?: boolean;
  /** Rooms whose read failed, with the reason: never reported as drift. */
  readonly unknownRooms: Map<string, string>;
  /** Reads that failed for the whole account side (A4B or Graph), with the reason. */
  readonly errors: string[];
}

export const key = a4bNameKey;
