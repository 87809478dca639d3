// Names shared by the constructs (which write them into templates) and the handlers (which read them),
// so the two sides cannot drift apart. No CDK imports: the handler bundle includes this file.

/** CloudFormation resource types of the custom resources. */
export const ResourceTypes = {
  ROOM: 'Custom::A4BRoom',
  ROOM_PROFILE: 'Custom::A4BRoomProfile',
  SKILL_GROUP: 'Custom::A4BSkillGroup',
  CALENDAR_LINK: 'Custom::A4BCalendarLink',
  ROOM_DELETION_GUARD: 'Custom::A4BRoomDeletionGuard',
  DEVICE_RELEASE: 'Custom::A4BDeviceRelease',
  /** After an inventory's mailbox checks: fails the deploy with every bad room they recorded. */
  MAILBOX_CHECK_GATE: 'Custom::A4BMailboxCheckGate',
} as const;

/** Property names of `Custom::A4BRoom`. */
export const RoomProps = {
  NAME: 'RoomName',
  DESCRIPTION: 'Description',
  MAILBOX: 'ProviderCalendarId',
  /** The room profile by ARN; a room has this or PROFILE_NAME. */
  PROFILE_ARN: 'ProfileArn',
  /**
   * The room profile by name, resolved to its ARN at deploy time: how a room refers to a profile in another
   * (nested) stack without a CloudFormation parameter per profile.
   */
  PROFILE_NAME: 'ProfileName',
  SKILL_GROUP_ARNS: 'SkillGroupArns',
  /** Skill groups by name, resolved at deploy time like PROFILE_NAME; a room may have these and SKILL_GROUP_ARNS both. */
  SKILL_GROUP_NAMES: 'SkillGroupNames',
  DEVICE_ARNS: 'DeviceArns',
  TAGS: 'Tags',
  ADOPT_EXISTING: 'AdoptExisting',
  /** `deferred`: the room's updates never take devices out; a `Custom::A4BDeviceRelease` after every room does. */
  DEVICE_RELEASE: 'DeviceRelease',
} as const;

/** Property names of `Custom::A4BDeviceRelease`. */
export const DeviceReleaseProps = {
  /** `[{ Name, Devices }]` (`ReleasedRoomProps`): the rooms whose devices it releases, each with the devices it declares now. */
  ROOMS: 'Rooms',
} as const;

/** Members of each entry of `DeviceReleaseProps.ROOMS`. */
export const ReleasedRoomProps = {
  NAME: 'Name',
  DEVICES: 'Devices',
} as const;

/** Property names of `Custom::A4BRoomProfile`; the A4B member names, so they pass through unchanged. */
export const RoomProfileProps = {
  NAME: 'ProfileName',
  ADDRESS: 'Address',
  TIMEZONE: 'Timezone',
  DISTANCE_UNIT: 'DistanceUnit',
  TEMPERATURE_UNIT: 'TemperatureUnit',
  WAKE_WORD: 'WakeWord',
  LOCALE: 'Locale',
  MAX_VOLUME_LIMIT: 'MaxVolumeLimit',
  SETUP_MODE_DISABLED: 'SetupModeDisabled',
  PSTN_ENABLED: 'PSTNEnabled',
  DATA_RETENTION_OPT_IN: 'DataRetentionOptIn',
  MEETING_ROOM_CONFIGURATION: 'MeetingRoomConfiguration',
  TAGS: 'Tags',
  ADOPT_EXISTING: 'AdoptExisting',
} as const;

/**
 * Members of a profile's `MeetingRoomConfiguration` (`RoomProfileProps.MEETING_ROOM_CONFIGURATION`), as A4B names
 * them: the construct writes them, the handler reads them, import and drift read them from A4B.
 */
export const MeetingRoomProps = {
  ROOM_UTILIZATION_METRICS_ENABLED: 'RoomUtilizationMetricsEnabled',
  END_OF_MEETING_REMINDER: 'EndOfMeetingReminder',
  INSTANT_BOOKING: 'InstantBooking',
  REQUIRE_CHECK_IN: 'RequireCheckIn',
  /** `{ EnabledByMotion }`: in the model the shipped SDK was generated from, not in botocore 1.29.27's. */
  PROACTIVE_JOIN: 'ProactiveJoin',
  /** Whether a feature (reminder, instant booking, check-in) is on. */
  ENABLED: 'Enabled',
  REMINDER_AT_MINUTES: 'ReminderAtMinutes',
  REMINDER_TYPE: 'ReminderType',
  DURATION_IN_MINUTES: 'DurationInMinutes',
  RELEASE_AFTER_MINUTES: 'ReleaseAfterMinutes',
  ENABLED_BY_MOTION: 'EnabledByMotion',
} as const;

/** Property names of `Custom::A4BSkillGroup`. */
export const SkillGroupProps = {
  NAME: 'SkillGroupName',
  DESCRIPTION: 'Description',
  TAGS: 'Tags',
  ADOPT_EXISTING: 'AdoptExisting',
} as const;

/** Property names of `Custom::A4BRoomDeletionGuard`. */
export const RoomDeletionGuardProps = {
  /** Where the rooms are declared (the inventory's construct path), for messages. */
  INVENTORY: 'Inventory',
  /**
   * Earlier versions: every room resource as ROOM_KEY_CHARS characters (a hash of its shard and construct id). Read
   * only from the previous properties of a guard made by such a version.
   */
  ROOMS: 'Rooms',
  /**
   * Every room by what makes it the same A4B room, ROOM_KEY_CHARS characters each, concatenated: half a hash of its name
   * (NFC, case-folded: A4B names are unique ignoring case), half a hash of its stable `id` (ROOM_NO_ID without one).
   * A room whose resource moves (another shard, a new `id`) keeps its A4B room, so only a room whose name and id are
   * both gone is deleted.
   */
  ROOM_NAMES: 'RoomNames',
  /** How many rooms one deploy may delete. */
  MAX_DELETIONS: 'MaxRoomDeletions',
} as const;

/** Characters per room in the guard's room lists: 24 bits of a hash, base64url, for its name and again for its id. */
export const ROOM_KEY_CHARS = 8;
/** The id half of a room without a stable id (not base64url, so no hash is equal to it). */
export const ROOM_NO_ID = '....';

/** Property names of `Custom::A4BCalendarLink`. */
export const CalendarLinkProps = {
  TENANT: 'Tenant',
  METHOD: 'Method',
  SERVICE_ACCOUNT: 'ServiceAccount',
  APPLICATION_ID: 'ApplicationId',
  CREDENTIALS_SECRET_ARN: 'CredentialsSecretArn',
  GRANT_MISSING_PERMISSIONS: 'GrantMissingPermissions',
  ACCEPTED_ROLES: 'AcceptedRoles',
  /** Application method: the resources (`graph`, `exchange`) whose Calendars.ReadWrite app role counts as A4B's consent. */
  CONSENT_RESOURCES: 'ConsentResources',
  /** `[{ Name, Mailbox }]` (`LinkedRoomProps`) of the linked rooms. */
  ROOMS: 'Rooms',
  /**
   * `true`: bad rooms do not fail the check; it checks every room it names on each Create and Update and records
   * them in its Data (`CalendarLinkAttributes.FINDINGS`), and a `Custom::A4BMailboxCheckGate` fails with them.
   */
  RECORD_FINDINGS: 'RecordFindings',
} as const;

/** Members of each entry of `CalendarLinkProps.ROOMS`. */
export const LinkedRoomProps = {
  NAME: 'Name',
  MAILBOX: 'Mailbox',
} as const;

/** Attributes of `Custom::A4BCalendarLink` (`Fn::GetAtt`). */
export const CalendarLinkAttributes = {
  ROOMS_VALIDATED: 'RoomsValidated',
  PERMISSIONS_GRANTED: 'PermissionsGranted',
  /** Record mode: the findings summary (compact JSON, see lib/runtime/graph/findings.ts). */
  FINDINGS: 'Findings',
} as const;

/** Property names of `Custom::A4BMailboxCheckGate`. */
export const MailboxCheckGateProps = {
  /** How the message names the link, e.g. `calendar link (tenant contoso.com, delegate sa@contoso.com)`. */
  HEADER: 'Header',
  /** A hash of everything the checks check (their properties): tells a rollback from a new deploy. */
  CHECKED: 'Checked',
  /** `[{ Name, Findings }]` (`GateCheckProps`): each check's name (its shard) and its findings summary (`Fn::GetAtt` of the check). */
  CHECKS: 'Checks',
} as const;

/** Members of each entry of `MailboxCheckGateProps.CHECKS`. */
export const GateCheckProps = {
  NAME: 'Name',
  FINDINGS: 'Findings',
} as const;

/** The two ways A4B links to Office 365 (A4B administration guide, "Link Alexa for Business to Office 365"). */
export const CalendarLinkMethods = {
  DELEGATE: 'delegate',
  APPLICATION: 'application',
} as const;

/** Calendar roles that count as the Exchange "Editor" right A4B needs, unless the link says otherwise. */
export const DEFAULT_ACCEPTED_ROLES = ['write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess'];

/** Resources on which A4B's app may hold its Calendars.ReadWrite consent, unless the link says otherwise. */
export const DEFAULT_CONSENT_RESOURCES = ['graph', 'exchange'];

/** Attributes every resource returns (`Fn::GetAtt`). */
export const Attributes = {
  ARN: 'Arn',
  NAME: 'Name',
} as const;

/** Environment variables the provider sets on the handler. */
/**
 * Where A4B is, set once for the app, the pipeline and the CLI: context keys of cdk.json (`"context": { "a4bRegion":
 * "us-east-1", "a4bEndpoint": "https://…" }`). RoomsProvider and DriftMonitor take them when their props do not; the
 * CLI reads them from ./cdk.json, under A4B_REGION / AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS and its flags.
 */
export const A4bContext = {
  REGION: 'a4bRegion',
  ENDPOINT: 'a4bEndpoint',
} as const;

export const HandlerEnv = {
  /** Region the A4B client signs for (A4B ran in us-east-1 only). */
  A4B_REGION: 'A4B_REGION',
  /** Total attempts per A4B call, including the first. */
  A4B_MAX_ATTEMPTS: 'A4B_MAX_ATTEMPTS',
  /** The SDK's own variable for a custom A4B endpoint. */
  A4B_ENDPOINT: 'AWS_ENDPOINT_URL_ALEXA_FOR_BUSINESS',
  /** The Entra ID authority host (@azure/identity's own convention). */
  AUTHORITY_HOST: 'AZURE_AUTHORITY_HOST',
  /** Graph base URL, without the version. */
  GRAPH_BASE_URL: 'GRAPH_BASE_URL',
  /** A PEM file of extra certificate authorities to trust for Entra ID and Graph, as Node's own variable names it. */
  EXTRA_CA_FILE: 'NODE_EXTRA_CA_CERTS',
  /** The SDK's own variable for a custom Secrets Manager endpoint. */
  SECRETS_MANAGER_ENDPOINT: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  /** Graph $batch requests in flight at once (Outlook allows 4 concurrent requests per app). */
  GRAPH_CONCURRENCY: 'GRAPH_CONCURRENCY',
  /** The longest Retry-After the handler waits for a throttled batch item, in seconds. */
  GRAPH_MAX_RETRY_WAIT: 'GRAPH_MAX_RETRY_WAIT_SECONDS',
  /** After a 403, a token older than this many seconds is replaced by a fresh one once (default 300). */
  GRAPH_FRESH_TOKEN_SECONDS: 'GRAPH_FRESH_TOKEN_SECONDS',
  /** Where the handler's log goes when it is not CloudWatch Logs (the local deploy's STATE/provider.log), for messages. */
  LOG_FILE: 'A4B_ROOMS_LOG_FILE',
} as const;

/**
 * Marks a room that a case-only rename took over (A4B names are unique ignoring case, so the renamed room's new
 * resource cannot create its own) until the old resource's cleanup Delete confirms it; its value is the old name, base64url (tag values take no parentheses).
 */
export const RENAMED_FROM_TAG = 'cdk-a4b-rooms:renamed-from';

/**
 * Room ownership (rooms, room profiles and skill groups alike). CloudFormation replaces a resource whose logical id
 * changes (a new `id`, another shard count, a construct moved in the tree) by creating the new one first and deleting
 * the old one in its cleanup: a Delete must not remove what another resource holds by then. The resource that holds
 * an A4B resource writes its identity (`<StackId>/<LogicalResourceId>`) here, on create, adoption and update.
 */
export const OWNER_TAG = 'cdk-a4b-rooms:owner';
/**
 * Written with OWNER_TAG when a resource takes over what another one held (OWNER_NONE: it was held by nothing that
 * says so, e.g. made by hand and adopted): until the previous holder's cleanup Delete, or an Update of the new one,
 * confirms the handover, a Delete of the new holder (a rollback) hands the resource back instead of deleting it.
 */
export const PREVIOUS_OWNER_TAG = 'cdk-a4b-rooms:previous-owner';
/** PREVIOUS_OWNER_TAG's value for a resource taken over from no recorded holder. */
export const OWNER_NONE = 'none';
/**
 * The provider function that holds the resource (its name): a Create that meets a resource of the same name held by
 * the same provider (the same stack or the same app's inventories) takes it over without `adoptExisting`, as a move.
 */
export const OWNER_PROVIDER_TAG = 'cdk-a4b-rooms:provider';

/** Tags that belong to AWS (`aws:`) or to this library: never declared, never drift, never imported. */
export function isSystemTag(key: string): boolean {
  const k = key.toLowerCase();
  return k.startsWith('aws:') || k.startsWith('cdk-a4b-rooms:');
}

/**
 * How A4B compares the names of rooms, room profiles and skill groups: the one rule every search and lookup of the
 * library, and the emulator, follow.
 *
 * - Identity: one name per account ignoring case. Not documented (the A4B model, lib/local/a4b-model/service-2.json,
 *   gives RoomName, ProfileName and SkillGroupName a length and a pattern, nothing more); inferred from CreateRoom's
 *   AlreadyExistsException and UpdateRoom's NameInUseException, as the library always has. Compared as code units,
 *   lower-cased (`a4bNameKey`), no Unicode normalization (undocumented too): 'Café' in NFC and in NFD are two names.
 * - Search filters (`Filters: [{ Key: 'RoomName', Values }]`): any of the values, each matched exactly, case
 *   included. The match is not documented (model, `Filter.Values`: "The values of a filter."; the API reference and
 *   the SDKs' docs say no more): a guess, which the emulator models by default. A search for a name therefore
 *   compares what it gets back with `a4bNameKey`, and a name in another case is found only by a search that does not
 *   filter on the name (a lookup's `otherCase`). Set to `ignoreCase` if A4B is shown to match ignoring case: the
 *   lookups then skip that second search.
 */
export type A4bFilterMatch = 'exact' | 'ignoreCase';

/** The filter match the library assumes (see `A4bFilterMatch`). */
export const A4B_FILTER_MATCH: A4bFilterMatch = 'exact';

/** A4B's page size limit: MaxResults of every Search operation and of ListTags is 1..50 (A4B API reference). */
export const A4B_MAX_RESULTS = 50;

/** The most values one search filter takes (A4B API reference, `Filter.Values`: at most 50). */
export const A4B_MAX_FILTER_VALUES = 50;

/** What makes two A4B names one name (see `A4bFilterMatch`): lower case, code unit by code unit. */
export function a4bNameKey(name: string): string {
  return name.toLowerCase();
}

/** A4B account quotas (A4B administration guide, quotas). */
export const Quotas = {
  ROOMS: 10_000,
  ROOM_PROFILES: 100,
  SKILL_GROUPS: 1_000,
  DEVICES_PER_ROOM: 10,
} as const;

/** CloudWatch namespace of the drift monitor's metrics. */
export const DRIFT_METRIC_NAMESPACE = 'cdk-a4b-rooms';

/** The drift monitor's metrics, each with the one dimension `DRIFT_METRIC_DIMENSION`: the handler publishes them, the construct alarms on them. */
export const DriftMetrics = {
  DRIFTED_ROOMS: 'DriftedRooms',
  UNMANAGED_ROOMS: 'UnmanagedRooms',
  UNKNOWN_ROOMS: 'UnknownRooms',
  DRIFT_FINDINGS: 'DriftFindings',
  READ_ERRORS: 'ReadErrors',
  /** 1 per completed run: the heartbeat. */
  RUNS: 'Runs',
  /** Declared rooms with no finding. */
  IN_SYNC_ROOMS: 'InSyncRooms',
  /** Declared rooms that A4B no longer has (counted in DriftedRooms too, which the drift alarm watches). */
  MISSING_ROOMS: 'MissingRooms',
  /** A4B calls and Graph batch items answered "too many requests" (retried), per run. */
  THROTTLED_READS: 'ThrottledReads',
} as const;

/**
 * Drift findings per run by what drifted, one metric each (they sum to DriftFindings): the handler publishes them,
 * the construct's dashboard stacks them. Keys are the `DriftFindingKind` values.
 */
export const DriftKindMetrics = {
  /** A room declared and not in A4B, or in A4B and not declared. */
  ROOM: 'RoomFindings',
  /** A room's name, mailbox, description, profile or tags. */
  ROOM_FIELD: 'RoomFieldFindings',
  /** The devices in a room. */
  DEVICE: 'DeviceFindings',
  /** A room profile missing, changed or not declared. */
  PROFILE: 'ProfileFindings',
  /** A skill group missing, changed or not declared. */
  SKILL_GROUP: 'SkillGroupFindings',
  /** A room's mailbox gone or no longer a room mailbox. */
  MAILBOX: 'MailboxFindings',
  /** The service account's permission on a room's calendar lost. */
  PERMISSION: 'PermissionFindings',
  /** The A4B app's admin consent revoked. */
  CONSENT: 'ConsentFindings',
} as const;

/** The drift monitor metrics' dimension; its value names the inventory. */
export const DRIFT_METRIC_DIMENSION = 'Inventory';

/** Environment variables the drift monitor construct sets on its function (besides `HandlerEnv`'s A4B ones). */
export const DriftMonitorEnv = {
  /** `true`: rooms in A4B that the inventory does not declare are left out. */
  IGNORE_UNMANAGED: 'IGNORE_UNMANAGED',
  /** The value of the metrics' dimension. */
  INVENTORY_NAME: 'INVENTORY_NAME',
} as const;

/** The file beside the drift monitor's handler that holds the inventory it checks. */
export const DRIFT_MONITOR_INVENTORY_FILE = 'inventory.json';
