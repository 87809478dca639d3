// Input shapes of the A4B operations the emulator serves, built from the A4B service model (a4b-model.generated.ts,
// generated from the committed models, the newest one: the shipped SDK's), and a validator that answers the way AWS JSON services do:
// SerializationException for a wrong type, ValidationException listing every violated constraint
// ("1 validation error detected: Value 'x' at 'roomName' failed to satisfy ...").
import { codePoints, StringRule } from '../constraints';
import { A4bModel, modelPattern, patternMaxLength } from './a4b-model';
import { A4B_MODEL } from './a4b-model.generated';

export type Shape =
  | { readonly kind: 'string'; readonly rule?: StringRule; readonly enum?: readonly string[] }
  | { readonly kind: 'integer'; readonly rule?: { readonly min: number; readonly max: number } }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'list'; readonly member: Shape; readonly min?: number; readonly max?: number }
  | { readonly kind: 'struct'; readonly members: Record<string, Shape>; readonly required?: readonly string[] };

/**
 * Members the model marks optional that the emulator requires: the resource a Get, Update, Delete or association
 * names (without it there is nothing to act on; A4B documented them as required), and CreateRoom's ProfileArn
 * (the emulator keeps every room in a profile, as the constructs do).
 */
export const STRICTER_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  CreateRoom: ['ProfileArn'],
  GetRoom: ['RoomArn'], UpdateRoom: ['RoomArn'], DeleteRoom: ['RoomArn'],
  GetProfile: ['ProfileArn'], UpdateProfile: ['ProfileArn'], DeleteProfile: ['ProfileArn'],
  GetSkillGroup: ['SkillGroupArn'], UpdateSkillGroup: ['SkillGroupArn'], DeleteSkillGroup: ['SkillGroupArn'],
  AssociateSkillGroupWithRoom: ['SkillGroupArn', 'RoomArn'], DisassociateSkillGroupFromRoom: ['SkillGroupArn', 'RoomArn'],
  AssociateDeviceWithRoom: ['DeviceArn', 'RoomArn'], DisassociateDeviceFromRoom: ['DeviceArn'],
};

/** The emulator's shape of a modelled shape: lengths, patterns, enums, ranges and required members as the model has them. */
export function shapeOf(model: A4bModel, name: string, extraRequired: readonly string[] = []): Shape {
  const s = model.shapes[name];
  switch (s.type) {
    case 'string': {
      const max = s.max ?? (s.pattern ? patternMaxLength(s.pattern) : undefined);
      const rule = s.min !== undefined || max !== undefined || s.pattern
        ? { min: s.min ?? 0, max: max ?? Number.MAX_SAFE_INTEGER, ...(s.pattern ? { pattern: modelPattern(s.pattern) } : {}) }
        : undefined;
      return { kind: 'string', rule, enum: s.enum };
    }
    case 'integer':
      return { kind: 'integer', rule: s.min !== undefined || s.max !== undefined ? { min: s.min ?? -(2 ** 31), max: s.max ?? 2 ** 31 - 1 } : undefined };
    case 'boolean':
      return { kind: 'boolean' };
    case 'list':
      return { kind: 'list', member: shapeOf(model, s.member!), min: s.min, max: s.max };
    case 'structure':
      return {
        kind: 'struct',
        members: Object.fromEntries(Object.entries(s.members ?? {}).map(([k, ref]) => [k, shapeOf(model, ref)])),
        required: [...(s.required ?? []), ...extraRequired.filter((r) => !(s.required ?? []).includes(r))],
      };
    default:
      throw new Error(`A4B model shape ${name} has type ${s.type}, which no input of the served operations uses`);
  }
}

/** Input shape of each operation the emulator serves. */
export const InputShapes: Record<string, Shape> = Object.fromEntries(Object.entries(A4B_MODEL.operations)
  .map(([op, { input }]) => [op, shapeOf(A4B_MODEL, input, STRICTER_REQUIRED[op])]));

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
      const len = codePoints(value);
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
