import { CfnResource, RemovalPolicy, TagManager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
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
  const provider = RoomsProvider.getOrCreate(scope);
  const resource = new ProviderCfnResource(scope, id, {
    type: props.type,
    properties: {
      // CloudFormation's own members, first, as CustomResource writes them.
      ServiceToken: provider.serviceToken,
      ServiceTimeout: provider.serviceTimeout.toSeconds().toString(),
      ...props.properties,
    },
  }, props.tags);
  resource.applyRemovalPolicy(props.removalPolicy, { default: RemovalPolicy.DESTROY });
  return resource;
}

class ProviderCfnResource extends CfnResource {
  constructor(scope: Construct, id: string, props: { type: string; properties: Record<string, unknown> }, private readonly tagSource?: TagManager) {
    super(scope, id, props);
  }

  protected get cfnProperties(): { [key: string]: any } {
    const properties = super.cfnProperties;
    // Spread over the declared properties, so `Tags` keeps its place in the template.
    return this.tagSource ? { ...properties, Tags: this.tagSource.renderTags() } : properties;
  }
}
