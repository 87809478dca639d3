import { CfnElement, CfnResource, IResolvable, IResolveContext, Token, Tokenization } from 'aws-cdk-lib';

/**
 * @internal A CfnResource that CDK synthesizes with less work, to the same template: the library makes one for each
 * room, profile, skill group and wave barrier, so at 10,000 rooms every step CDK takes per resource is taken 15,000
 * times. Two steps are cut, with nothing in the template changed (test/lean-cfn-resource.test.ts):
 * - its logical id is worked out once, not each time it is resolved;
 * - CDK's search for references sees only what can hold one.
 */
export class LeanCfnResource extends CfnResource {
  /** @internal The logical id as the stack allocates it (its construct path, hashed), before renames and overrides. */
  public _allocatedLogicalId?: string;
  /** @internal */
  public _logicalIdOverrideLean?: string;

  public overrideLogicalId(newLogicalId: string): void {
    super.overrideLogicalId(newLogicalId);
    this._logicalIdOverrideLean = newLogicalId;
  }

  /** @internal The resource as CfnResource renders it, resolved when it is needed (ReferenceSearch). */
  public _toCloudFormation(): object {
    if (!this.shouldSynthesize()) return {};
    return { Resources: { [this.logicalId]: new ReferenceSearch(this, () => super._toCloudFormation()) } };
  }

  /**
   * @internal What of this resource can hold a reference to another: each property, option or override with a
   * token in it. Undefined when this aws-cdk-lib keeps its overrides elsewhere: then the whole resource is searched.
   */
  public _withTokens(): object | undefined {
    const overrides = (this as unknown as { rawOverrides?: unknown }).rawOverrides;
    if (overrides === undefined) return undefined;
    const properties = this.cfnProperties;
    const withTokens: Record<string, unknown> = {};
    for (const key in properties) if (holdsToken(properties[key])) withTokens[key] = properties[key];
    const { metadata, creationPolicy, updatePolicy } = this.cfnOptions;
    return { Properties: withTokens, Options: [metadata, creationPolicy, updatePolicy, overrides].filter(holdsToken) };
  }
}

/**
 * A resource as a token: the template gets it whole, as CfnResource renders it; CDK's search for references
 * (cross-stack references become parameters and outputs) gets only what holds a token. That search resolves every
 * resource of the app twice before any template is written, with `preparing` set (aws-cdk-lib's findTokens is the
 * only resolve that sets it). A room's names, mailbox and tags are plain text but for its ServiceToken, and CDK walked
 * each of them, and each of its options, with a context per value, which cost more than any part of this library's own
 * code (figures: docs/benchmarks.md, `npm run bench`). A value with a token anywhere in it (a Ref, a Lazy, a name from a
 * parameter) is searched as before, so every reference is found.
 */
class ReferenceSearch implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly resource: LeanCfnResource, private readonly render: () => object) {}

  public resolve(context: IResolveContext): unknown {
    const withTokens = context.preparing ? this.resource._withTokens() : undefined;
    if (withTokens) return withTokens;
    // CfnResource's rendering: one resource, under its logical id (the same token this one is under).
    const rendered = this.render() as { Resources?: Record<string, unknown> };
    return Object.values(rendered.Resources ?? {})[0];
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/** @internal Whether a value is or holds an unresolved token (an encoded string, number or list, or an IResolvable). */
export function holdsToken(value: unknown): boolean {
  if (value === null || value === undefined || typeof value === 'boolean') return false;
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(holdsToken);
  if (typeof value === 'object') {
    if (Tokenization.isResolvable(value)) return true;
    const mapping = value as Record<string, unknown>;
    for (const key in mapping) if (Token.isUnresolved(key) || holdsToken(mapping[key])) return true;
  }
  return false;
}

// CDK works a logical id out anew (an MD5 of the construct path, then the stack's renames) each time it is resolved,
// about 16 times a resource in one synth: 160,000 hashes at 10,000 rooms. These resources keep the hash (what
// Stack#allocateLogicalId gives, a stack subclass's own included) and apply the stack's renames and their override
// each time, so a renameLogicalId or overrideLogicalId made after the id was first resolved still wins, as with
// CfnResource. The method is aws-cdk-lib's private CfnElement#synthesizeLogicalId (2.220), renamed _synthesizeLogicalId
// (2.276); the renames are the stack's private LogicalIDs. Where either is missing, CDK's own method runs: nothing
// changes but the speed (test/room.test.ts counts the work, against both versions in CI).
for (const name of ['_synthesizeLogicalId', 'synthesizeLogicalId']) {
  const synthesizeLogicalId: ((this: CfnElement) => string) | undefined = (CfnElement.prototype as any)[name];
  if (typeof synthesizeLogicalId !== 'function') continue;
  (LeanCfnResource.prototype as any)[name] = function (this: LeanCfnResource): string {
    if (this._logicalIdOverrideLean !== undefined) return this._logicalIdOverrideLean;
    const renames = (this.stack as unknown as { _logicalIds?: { applyRename?: (id: string) => string } })._logicalIds;
    if (typeof renames?.applyRename !== 'function') return synthesizeLogicalId.call(this);
    this._allocatedLogicalId ??= (this.stack as unknown as { allocateLogicalId(e: CfnElement): string }).allocateLogicalId(this);
    return renames.applyRename(this._allocatedLogicalId);
  };
  break;
}
