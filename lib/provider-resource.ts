import { CfnResource, RemovalPolicy, TagManager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LeanCfnResource } from './lean-cfn-resource';
import { RoomsProvider } from './provider';

/** @internal */
export interface ProviderResourceProps {
  /** `Custom::...` */
  readonly type: string;
  /** Properties after ServiceToken and ServiceTimeout; `undefined` ones are left out of the template. */
  readonly properties: Record<string, unknown>;
  /** @default RemovalPolicy.DESTROY, as for CustomResource */
  readonly removalPolicy?: RemovalPolicy;
  /** Rendered as `Tags` when the template is made, so tags added later (`Tags.of`) are in it. */
  readonly tags?: TagManager;
}

/**
 * @internal The CloudFormation resource of a custom resource that the stack's RoomsProvider serves, made directly
 * where `CustomResource` would put its `Default` child. The template and the logical id are the same (`Default` is
 * never part of a logical id), without CustomResource's construct in between, nor a Lazy for the tags: at 10,000
 * rooms that is 10,000 constructs and tokens fewer for every phase of synth.
 */
export function providerResource(scope: Construct, id: string, props: ProviderResourceProps): CfnResource {
  // CloudFormation's own members, first, as CustomResource writes them (set by the provider, which repoints them if a
  // provider configured later replaces the one made with defaults); then the members with a value (CDK resolves
  // every key and value it is given, twice a synth, so a room's four unset optional members would cost as much as
  // its set ones). `Tags` keeps its declared place, for the tags rendered at synth.
  const properties: Record<string, unknown> = { ServiceToken: undefined, ServiceTimeout: undefined };
  RoomsProvider._serve(scope, properties);
  for (const key in props.properties) {
    if (props.properties[key] !== undefined || (key === 'Tags' && props.tags)) properties[key] = props.properties[key];
  }
  const resource = new ProviderCfnResource(scope, id, { type: props.type, properties }, props.tags);
  resource.applyRemovalPolicy(props.removalPolicy, { default: RemovalPolicy.DESTROY });
  return resource;
}

/** Its tags rendered where they are declared, when the template is made. */
class ProviderCfnResource extends LeanCfnResource {
  constructor(scope: Construct, id: string, props: { type: string; properties: Record<string, unknown> }, private readonly tagSource?: TagManager) {
    super(scope, id, props);
  }

  protected get cfnProperties(): { [key: string]: any } {
    const declared = super.cfnProperties;
    // The tags as they are now (Tags.of adds them during synth), in their place; undefined when there are none, which
    // leaves them out of the template. Set on the declared properties, which only this resource holds: CDK reads
    // them several times a synth, and a copy each time costs objects per room per read (docs/benchmarks.md, `npm run bench`).
    if (this.tagSource) declared.Tags = this.tagSource.renderTags();
    return declared;
  }
}
