// Input shapes of the A4B operations the emulator serves, with the model's constraints, and a validator that
// answers the way AWS JSON services do: SerializationException for a wrong type, ValidationException listing
// every violated constraint ("1 validation error detected: Value 'x' at 'roomName' failed to satisfy ...").
import { EnumValues, IntegerRule, IntegerRules, StringRule, StringRules } from '../constraints';

export type Shape =
  | { readonly kind: 'string'; readonly rule?: StringRule; readonly enum?: readonly string[] }
  | { readonly kind: 'integer'; readonly rule?: IntegerRule }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'list'; readonly member: Shape; readonly min?: number; readonly max?: number }
  | { readonly kind: 'struct'; readonly members: Record<string, Shape>; readonly required?: readonly string[] };

const str = (rule?: StringRule): Shape => ({ kind: 'string', rule });
const en = (values: readonly string[]): Shape => ({ kind: 'string', enum: values });
const int = (rule?: IntegerRule): Shape => ({ kind: 'integer', rule });
const bool: Shape = { kind: 'boolean' };
const list = (member: Shape, min?: number, max?: number): Shape => ({ kind: 'list', member, min, max });
const struct = (members: Record<string, Shape>, required: string[] = []): Shape => ({ kind: 'struct', members, required });

const arn = str(StringRules.Arn);
const token = str(StringRules.ClientRequestToken);
const tag = struct({ Key: str(StringRules.TagKey), Value: str(StringRules.TagValue) }, ['Key', 'Value']);
const tags = list(tag);
const filter = struct({ Key: str(StringRules.FilterKey), Values: list(str(StringRules.FilterValue), undefined, 50) }, ['Key', 'Values']);
const sort = struct({ Key: str(StringRules.FilterKey), Value: en(EnumValues.SortValue) }, ['Key', 'Value']);
const search = struct({
  NextToken: str(StringRules.NextToken),
  MaxResults: int(IntegerRules.MaxResults),
  Filters: list(filter, undefined, 25),
  SortCriteria: list(sort, undefined, 25),
});

const minutes = int();
const meetingRoom = (create: boolean): Shape => struct({
  RoomUtilizationMetricsEnabled: bool,
  EndOfMeetingReminder: struct({ ReminderAtMinutes: list(minutes, 1, 1), ReminderType: en(EnumValues.EndOfMeetingReminderType), Enabled: bool },
    create ? ['ReminderAtMinutes', 'ReminderType', 'Enabled'] : []),
  InstantBooking: struct({ DurationInMinutes: minutes, Enabled: bool }, create ? ['DurationInMinutes', 'Enabled'] : []),
  RequireCheckIn: struct({ ReleaseAfterMinutes: minutes, Enabled: bool }, create ? ['ReleaseAfterMinutes', 'Enabled'] : []),
  ProactiveJoin: struct({ EnabledByMotion: bool }, ['EnabledByMotion']),
});

const profileFields = {
  ProfileName: str(StringRules.ProfileName),
  Timezone: str(StringRules.Timezone),
  Address: str(StringRules.Address),
  DistanceUnit: en(EnumValues.DistanceUnit),
  TemperatureUnit: en(EnumValues.TemperatureUnit),
  WakeWord: en(EnumValues.WakeWord),
  Locale: str(StringRules.DeviceLocale),
  SetupModeDisabled: bool,
  MaxVolumeLimit: int(),
  PSTNEnabled: bool,
  DataRetentionOptIn: bool,
};

/**
 * Members the model marks optional but whose documentation says "Required" are required here (A4B_FACTS §12):
 * the emulator rejects what the real service documented as mandatory.
 */
export const InputShapes: Record<string, Shape> = {
  CreateRoom: struct({
    RoomName: str(StringRules.RoomName), Description: str(StringRules.RoomDescription), ProfileArn: arn,
    ProviderCalendarId: str(StringRules.ProviderCalendarId), ClientRequestToken: token, Tags: tags,
  }, ['RoomName', 'ProfileArn']),
  GetRoom: struct({ RoomArn: arn }, ['RoomArn']),
  UpdateRoom: struct({
    RoomArn: arn, RoomName: str(StringRules.RoomName), Description: str(StringRules.RoomDescription),
    ProviderCalendarId: str(StringRules.ProviderCalendarId), ProfileArn: arn,
  }, ['RoomArn']),
  DeleteRoom: struct({ RoomArn: arn }, ['RoomArn']),
  SearchRooms: search,
  CreateProfile: struct({
    ...profileFields, ClientRequestToken: token, MeetingRoomConfiguration: meetingRoom(true), Tags: tags,
  }, ['ProfileName', 'Timezone', 'Address', 'DistanceUnit', 'TemperatureUnit', 'WakeWord']),
  GetProfile: struct({ ProfileArn: arn }, ['ProfileArn']),
  UpdateProfile: struct({ ProfileArn: arn, IsDefault: bool, ...profileFields, MeetingRoomConfiguration: meetingRoom(false) }, ['ProfileArn']),
  DeleteProfile: struct({ ProfileArn: arn }, ['ProfileArn']),
  SearchProfiles: search,
  CreateSkillGroup: struct({
    SkillGroupName: str(StringRules.SkillGroupName), Description: str(StringRules.SkillGroupDescription), ClientRequestToken: token, Tags: tags,
  }, ['SkillGroupName']),
  GetSkillGroup: struct({ SkillGroupArn: arn }, ['SkillGroupArn']),
  UpdateSkillGroup: struct({ SkillGroupArn: arn, SkillGroupName: str(StringRules.SkillGroupName), Description: str(StringRules.SkillGroupDescription) }, ['SkillGroupArn']),
  DeleteSkillGroup: struct({ SkillGroupArn: arn }, ['SkillGroupArn']),
  SearchSkillGroups: search,
  AssociateSkillGroupWithRoom: struct({ SkillGroupArn: arn, RoomArn: arn }, ['SkillGroupArn', 'RoomArn']),
  DisassociateSkillGroupFromRoom: struct({ SkillGroupArn: arn, RoomArn: arn }, ['SkillGroupArn', 'RoomArn']),
  AssociateDeviceWithRoom: struct({ DeviceArn: arn, RoomArn: arn }, ['DeviceArn', 'RoomArn']),
  DisassociateDeviceFromRoom: struct({ DeviceArn: arn }, ['DeviceArn']),
  SearchDevices: search,
  TagResource: struct({ Arn: arn, Tags: tags }, ['Arn', 'Tags']),
  UntagResource: struct({ Arn: arn, TagKeys: list(str(StringRules.TagKey)) }, ['Arn', 'TagKeys']),
  ListTags: struct({ Arn: arn, NextToken: str(StringRules.NextToken), MaxResults: int(IntegerRules.MaxResults) }, ['Arn']),
};

export class WireError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** Throws a WireError when `input` does not fit `shape`; returns silently otherwise. Unknown members are ignored, as AWS does. */
export function validateInput(shape: Shape, input: unknown): void {
  const violations: string[] = [];
  check(shape, input, '', violations);
  if (violations.length > 0) {
    const n = violations.length;
    throw new WireError('ValidationException', `${n} validation error${n > 1 ? 's' : ''} detected: ${violations.join('; ')}`);
  }
}

function check(shape: Shape, value: unknown, path: string, out: string[]): void {
  if (value === undefined || value === null) return;
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') throw serialization(value, 'String', path);
      const shown = `Value '${value.length > 100 ? value.slice(0, 100) + '…' : value}' at '${path}' failed to satisfy constraint: Member must`;
      const len = [...value].length;
      if (shape.rule && len < shape.rule.min) out.push(`${shown} have length greater than or equal to ${shape.rule.min}`);
      if (shape.rule && len > shape.rule.max) out.push(`${shown} have length less than or equal to ${shape.rule.max}`);
      if (shape.rule?.pattern && !shape.rule.pattern.test(value)) out.push(`${shown} satisfy regular expression pattern: ${shape.rule.pattern.source}`);
      if (shape.enum && !shape.enum.includes(value)) out.push(`${shown} satisfy enum value set: [${shape.enum.join(', ')}]`);
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(value, 'Integer', path);
      if (shape.rule && value < shape.rule.min) out.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${shape.rule.min}`);
      if (shape.rule && value > shape.rule.max) out.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${shape.rule.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(value, 'Boolean', path);
      return;
    case 'list': {
      if (!Array.isArray(value)) throw serialization(value, 'List', path);
      if (shape.min !== undefined && value.length < shape.min) out.push(`Value at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) out.push(`Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`);
      value.forEach((item, i) => check(shape.member, item, `${path}.${i + 1}.member`, out));
      return;
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serialization(value, 'Structure', path);
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) out.push(`Value null at '${join(path, name)}' failed to satisfy constraint: Member must not be null`);
      }
      for (const [name, member] of Object.entries(shape.members)) check(member, record[name], join(path, name), out);
      return;
    }
  }
}

function join(path: string, member: string): string {
  const camel = member.charAt(0).toLowerCase() + member.slice(1);
  return path ? `${path}.${camel}` : camel;
}

function serialization(value: unknown, expected: string, path: string): WireError {
  const got = Array.isArray(value) ? 'START_ARRAY' : typeof value === 'object' ? 'START_OBJECT' : typeof value === 'string' ? 'VALUE_STRING' : typeof value === 'number' ? 'VALUE_NUMBER' : 'VALUE_' + String(value).toUpperCase();
  return new WireError('SerializationException', `Unexpected ${got} at '${path || '<root>'}': expected ${expected}`);
}
