import { IConstruct } from 'constructs';

// What aws-cdk-lib does for Stack.isStack and Stack.of: a property under a Symbol.for key. Two copies of this library
// in one app (a monorepo, a jsii binding beside the TypeScript package) share the keys, so each recognises the other's
// constructs and finds what the other attached to a stack; `instanceof` and a module-level WeakMap would not.

/** @internal Marks `construct` as a `name` (`Room`, `RoomInventory`, …) for `isMarked`. */
export function mark(construct: object, name: string): void {
  Object.defineProperty(construct, Symbol.for(`cdk-a4b-rooms.${name}`), { value: true });
}

/** @internal Whether `x` was marked a `name` by any copy of this library. */
export function isMarked(x: unknown, name: string): boolean {
  return x !== null && typeof x === 'object' && Symbol.for(`cdk-a4b-rooms.${name}`) in x;
}

/** @internal What `scope` holds under `key` (attached by any copy of this library), made by `make` the first time. */
export function attached<T>(scope: IConstruct, key: string, make: () => T): T {
  const symbol = Symbol.for(`cdk-a4b-rooms.${key}`);
  const holder = scope as unknown as Record<symbol, T | undefined>;
  const found = holder[symbol];
  if (found !== undefined) return found;
  const value = make();
  Object.defineProperty(scope, symbol, { value, enumerable: false, configurable: true, writable: true });
  return value;
}

/** @internal What `scope` holds under `key`, if anything. */
export function attachedValue<T>(scope: IConstruct, key: string): T | undefined {
  return (scope as unknown as Record<symbol, T | undefined>)[Symbol.for(`cdk-a4b-rooms.${key}`)];
}
