// The inventory's JSON Schema (draft-07), built from the same enumerations the constructs use. It ships as
// schema/rooms.schema.json (written by the build) for editor completion; lengths, patterns and ranges are checked
// by the inventory rules with the A4B constraints, so their messages name the room.
import { EnumValues } from '../constraints';

const str = { type: 'string' };
const bool = { type: 'boolean' };
const int = { type: 'integer' };
const tags = { type: 'object', additionalProperties: { type: 'string' }, description: 'A4B tags: key to value' };
const obj = (properties: Record<string, unknown>, required: string[] = [], description?: string) =>
  ({ type: 'object', additionalProperties: false, properties, required, ...(description ? { description } : {}) });

export const INVENTORY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/cdk-a4b-rooms/cdk-a4b-rooms/schema/rooms.schema.json',
  title: 'cdk-a4b-rooms inventory',
  description: 'Alexa for Business rooms, room profiles, skill groups and the Office 365 calendar link',
  ...obj({
    calendarLink: obj({
      tenantId: { ...str, description: 'Directory id (GUID) or domain of the Microsoft 365 tenant' },
      method: { enum: ['delegate', 'application'], description: 'delegate: a service account with Editor on room calendars; application: admin-consented app permissions' },
      serviceAccount: { ...str, description: 'delegate: the service account UPN' },
      applicationId: { ...str, description: 'application: the A4B enterprise app id' },
      credentialsSecret: { ...str, description: 'Secrets Manager secret name, or its complete ARN: {clientId, clientSecret} or {clientId, certificatePem}' },
      grantMissingPermissions: { ...bool, description: 'delegate: grant write on room calendars where it is missing' },
      acceptedRoles: { type: 'array', items: { enum: ['none', 'freeBusyRead', 'limitedRead', 'read', 'write', 'delegateWithoutPrivateEventAccess', 'delegateWithPrivateEventAccess', 'custom'] } },
      consentResources: { type: 'array', minItems: 1, items: { enum: ['graph', 'exchange'] }, description: 'application: the resources whose Calendars.ReadWrite counts as the A4B consent (default both: Microsoft Graph, Office 365 Exchange Online)' },
    }, ['tenantId', 'method', 'credentialsSecret'], 'The Office 365 calendar link, validated before any A4B write'),
    profiles: {
      type: 'array',
      items: obj({
        name: str, address: str, timezone: { ...str, description: 'IANA time zone, e.g. Europe/Berlin' },
        distanceUnit: { enum: [...EnumValues.DistanceUnit] }, temperatureUnit: { enum: [...EnumValues.TemperatureUnit] },
        wakeWord: { enum: [...EnumValues.WakeWord] },
        locale: str, maxVolume: int, setupModeDisabled: bool, pstnEnabled: bool, dataRetentionOptIn: bool,
        meetingRoom: obj({
          endOfMeetingReminder: obj({ enabled: bool, minutes: { ...int, minimum: 3, maximum: 15 }, type: { enum: [...EnumValues.EndOfMeetingReminderType] } }, ['minutes', 'type']),
          instantBooking: obj({ enabled: bool, durationMinutes: { ...int, minimum: 15, maximum: 240, multipleOf: 15 } }, ['durationMinutes']),
          requireCheckIn: obj({ enabled: bool, releaseAfterMinutes: { ...int, minimum: 5, maximum: 20 } }, ['releaseAfterMinutes']),
          roomUtilizationMetrics: bool,
          proactiveJoin: obj({ enabledByMotion: { ...bool, description: 'Motion in the room starts it' } }, ['enabledByMotion'],
            "Alexa joins the room's meetings on its own (A4B's ProactiveJoin)"),
        }),
        tags, adoptExisting: bool,
      }, ['name', 'address', 'timezone']),
    },
    skillGroups: { type: 'array', items: obj({ name: str, description: str, tags, adoptExisting: bool }, ['name']) },
    rooms: {
      type: 'array',
      items: obj({
        id: { ...str, description: 'A stable key for the room (default: its name): keep it when renaming the room, so the room and its devices stay' },
        name: str,
        mailbox: { ...str, description: "The room's resource mailbox (A4B ProviderCalendarId)" },
        profile: { ...str, description: 'Name of a profile of this inventory' },
        skillGroups: { type: 'array', items: str, description: 'Names of skill groups of this inventory' },
        description: str,
        devices: { type: 'array', items: str, description: 'A4B device ARNs (at most 10); omit to leave devices unmanaged' },
        tags, adoptExisting: bool,
      }, ['name', 'profile']),
    },
    tags,
  }, ['rooms']),
};
