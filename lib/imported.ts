import { Resource } from 'aws-cdk-lib';
import { mark } from './markers';
import { showValue, StringRule } from './constraints';
import { PropsProblems } from './validation';

/** @internal What an import by attributes of an A4B profile or skill group is called, for its errors. */
export interface ImportedKind {
  /** `room profile`, `skill group`. */
  readonly kind: string;
  /** The importing method, `RoomProfile.fromRoomProfileAttributes`. */
  readonly method: string;
  readonly arnProp: string;
  readonly nameProp: string;
  readonly nameRule: StringRule;
}

/** @internal Refuses an import that names neither ARN nor name: known now, so refused now, as aws-cdk-lib's fromXxxAttributes do. */
export function requireArnOrName(k: ImportedKind, path: string, arn: string | undefined, name: string | undefined): void {
  if (arn === undefined && name === undefined) throw new Error(`${k.method} ${path}: give ${k.arnProp}, ${k.nameProp} or both`);
}

/** @internal The ARN of an import; one imported by name only has none until deploy time, and reading it says so. */
export function importedArn(k: ImportedKind, imported: Resource, arn: string | undefined, name: string | undefined): string {
  if (arn === undefined) {
    throw new Error(`${k.kind} ${showValue(name!)} (${imported.node.path}) was imported by name: its ARN is known only at deploy time; import it with ${k.arnProp} to read it`);
  }
  return arn;
}

/** @internal Marks an import by name only (rooms use it by name) and checks the name against A4B's rules at synth. */
export function finishImport<T extends Resource>(k: ImportedKind, imported: T, arn: string | undefined, name: string | undefined): T {
  if (arn === undefined) mark(imported, 'ImportedByName');
  if (name !== undefined) {
    imported.node.addValidation({ validate: () => new PropsProblems(`${k.kind} ${showValue(name)}`).string(k.nameProp, name, k.nameRule).problems });
  }
  return imported;
}
