// The A4B API's modelled constraints (botocore alexaforbusiness 2017-11-09; the model is committed at
// lib/local/a4b-model/service-2.json with its provenance), in one place: the constructs check them at synth and the
// inventory reuses them; the emulator reads the model itself. test/local/a4b-model.test.ts checks every rule here
// against the model (lengths, patterns, enums). Pure: no CDK, no I/O.

import { TIME_ZONES } from './time-zones';

/** Printable Unicode plus TAB/LF/CR (the model's text pattern; needs the `u` flag for the astral planes). */
export const TEXT_PATTERN = /^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
/** Tag keys and values. */
export const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Any ARN, as the model's `Arn` shape. */
export const ARN_PATTERN = /^arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}$/;
/** Idempotency tokens. */
export const TOKEN_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
/** What a resource mailbox looks like; stricter than A4B (which takes any string) because a typo here fails silently. */
export const MAILBOX_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;

/**
 * An A4B device ARN, as the room's DeviceArns take it: a device of any region and account, within the model's ARN
 * shape (`ARN_PATTERN`).
 */
export function isDeviceArn(value: string): boolean {
  return /^arn:[a-z-]+:a4b:[a-z0-9-]*:\d{12}:device\/.+/.test(value) && ARN_PATTERN.test(value);
}

// Not A4B's: the Office 365 side of the calendar link (Entra ID), checked by the construct and the inventory alike.
/** A directory (tenant) or application (client) id. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS domain, such as a tenant's verified domain `contoso.onmicrosoft.com`. */
export const DOMAIN_PATTERN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export interface StringRule {
  readonly min: number;
  readonly max: number;
  readonly pattern?: RegExp;
  /** Words for the pattern in error messages. */
  readonly patternText?: string;
}

const text = (min: number, max: number): StringRule => ({ min, max, pattern: TEXT_PATTERN, patternText: 'printable characters' });

/** String members, keyed by the A4B shape name. */
export const StringRules = {
  RoomName: text(1, 100),
  RoomDescription: text(1, 200),
  ProviderCalendarId: { min: 0, max: 100 } as StringRule,
  ProfileName: text(1, 100),
  Timezone: { min: 1, max: 100 } as StringRule,
  Address: { min: 1, max: 500 } as StringRule,
  DeviceLocale: { min: 1, max: 256 } as StringRule,
  SkillGroupName: text(1, 100),
  SkillGroupDescription: text(1, 200),
  TagKey: { min: 1, max: 128, pattern: TAG_PATTERN, patternText: 'letters, digits, spaces and _ . : / = + - @' } as StringRule,
  TagValue: { min: 0, max: 256, pattern: TAG_PATTERN, patternText: 'letters, digits, spaces and _ . : / = + - @' } as StringRule,
  ClientRequestToken: { min: 10, max: 150, pattern: TOKEN_PATTERN, patternText: 'letters, digits, _ and -, starting with a letter or digit' } as StringRule,
  /** The model gives ARNs no length, only a pattern, which allows 1,284 characters. */
  Arn: { min: 1, max: 1284, pattern: ARN_PATTERN, patternText: 'an ARN (arn:partition:service:region:account:resource)' } as StringRule,
  NextToken: { min: 1, max: 1100 } as StringRule,
  FilterKey: { min: 1, max: 500 } as StringRule,
  FilterValue: { min: 1, max: 500 } as StringRule,
} as const;

/** Enumerations, keyed by the A4B shape name. */
export const EnumValues = {
  DistanceUnit: ['METRIC', 'IMPERIAL'],
  TemperatureUnit: ['FAHRENHEIT', 'CELSIUS'],
  WakeWord: ['ALEXA', 'AMAZON', 'ECHO', 'COMPUTER'],
  EndOfMeetingReminderType: ['ANNOUNCEMENT_TIME_CHECK', 'ANNOUNCEMENT_VARIABLE_TIME_LEFT', 'CHIME', 'KNOCK'],
  SortValue: ['ASC', 'DESC'],
} as const;

export interface IntegerRule {
  readonly min: number;
  readonly max: number;
  readonly step?: number;
}

/** Integer ranges: the model's (MaxResults) and the documented ones of the meeting-room settings. */
export const IntegerRules = {
  MaxResults: { min: 1, max: 50 } as IntegerRule,
  EndOfMeetingReminderMinutes: { min: 3, max: 15 } as IntegerRule,
  InstantBookingDurationMinutes: { min: 15, max: 240, step: 15 } as IntegerRule,
  RequireCheckInReleaseAfterMinutes: { min: 5, max: 20 } as IntegerRule,
  /** Not modelled by A4B; Echo devices have volume levels 0 to 10. */
  MaxVolumeLimit: { min: 0, max: 10 } as IntegerRule,
} as const;

/** Why a string breaks a rule, or undefined when it does not. Phrased to follow "must …". */
export function stringProblem(rule: StringRule, value: string): string | undefined {
  const length = codePoints(value);
  if (length < rule.min || length > rule.max) {
    return rule.min === 0
      ? `must be at most ${rule.max} characters (it is ${length})`
      : `must be ${rule.min} to ${rule.max} characters (it is ${length})`;
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    return `must contain only ${rule.patternText ?? `characters matching ${rule.pattern.source}`}`;
  }
  return undefined;
}

const SURROGATES = /[\ud800-\udfff]/;

/**
 * The length A4B counts: characters (code points), as `[...value].length` counts them (a surrogate pair is one, a lone
 * surrogate one), without making an array of them for every name and tag an inventory checks.
 */
export function codePoints(value: string): number {
  // Most text has no surrogates: then it is its length (a native scan, where the loop below runs cold at synth).
  if (!SURROGATES.test(value)) return value.length;
  let n = value.length;
  // Stryker disable next-line ArithmeticOperator: the extra turns read past the end, where charCodeAt is NaN: no pair is found there
  for (let i = 0; i < value.length - 1; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Why a number breaks a rule, or undefined when it does not. */
export function integerProblem(rule: IntegerRule, value: number): string | undefined {
  if (!Number.isInteger(value)) return 'must be a whole number';
  if (value < rule.min || value > rule.max || (rule.step && (value - rule.min) % rule.step !== 0)) {
    return `must be ${rule.min} to ${rule.max}${rule.step ? ` in steps of ${rule.step}` : ''}`;
  }
  return undefined;
}

/** Why a value is not one of an enumeration, or undefined when it is. */
export function enumProblem(allowed: readonly string[], value: string): string | undefined {
  return allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;
}

/** A value for an error message: quoted, and cut short so one bad field cannot flood a 4 KB stack event. */
export function showValue(value: unknown, max = 60): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  if (s === undefined) return 'undefined';
  const shown = s.length > max ? `${s.slice(0, max)}…` : s;
  return typeof value === 'string' ? `'${shown}'` : shown;
}

/** Whether a time zone is an IANA name the platform knows (aliases such as US/Eastern included). */
export function isTimeZone(tz: string): boolean {
  if (TIME_ZONES.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
