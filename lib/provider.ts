import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { isMarked, mark } from './markers';
import { A4B_WILDCARDS, acceptNagFindings, bundledFunction, securityOptionsOf } from './bundled-function';
import { HandlerSecurityOptions } from './handler-options';
import { a4bLocation } from './a4b-location';
import { HandlerEnv } from './contract';

/**
 * Properties for the stack's A4B provider.
 */
export interface RoomsProviderProps extends HandlerSecurityOptions {
  /**
   * How long the provider function's logs are kept (not with `logGroup`).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The region the A4B client signs requests for.
   *
   * @default - the app's `a4bRegion` context (cdk.json), else 'us-east-1' (the only region A4B ran in)
   */
  readonly a4bRegion?: string;

  /**
   * An A4B endpoint URL other than the public one, e.g. a local emulator or a proxy.
   *
   * @default - the app's `a4bEndpoint` context (cdk.json), else the SDK's public endpoint for `a4bRegion`
   */
  readonly a4bEndpoint?: string;

  /**
   * How long one request may run, SDK retries included.
   *
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Total attempts per A4B call for throttling, 5xx and concurrent-modification errors.
   *
   * @default 8
   */
  readonly maxAttempts?: number;

  /**
   * How many requests the provider function handles at once (its reserved concurrency), which paces the A4B writes
   * of a deploy: CloudFormation sends every request whose dependencies are met at once, and the rest wait in Lambda's
   * queue. Reserving concurrency takes it from the account's unreserved pool, which Lambda keeps at 100 or more: an
   * account whose concurrency quota is too low to reserve any sets `reserveConcurrency: false`.
   *
   * @default 10
   */
  readonly reservedConcurrency?: number;

  /**
   * Whether the provider function gets `reservedConcurrency`. Without it, nothing but the inventory's waves paces the
   * A4B writes, and the SDK's retries absorb A4B's throttling.
   *
   * @default true
   */
  readonly reserveConcurrency?: boolean;

  /**
   * How long a request may wait in Lambda's queue for the provider (behind `reservedConcurrency` others) before it
   * runs. CloudFormation's wait (each custom resource's ServiceTimeout) starts when it sends the request, so the
   * ServiceTimeout is this, plus `timeout`, plus a margin; at most 3,600 seconds in all.
   *
   * @default Duration.minutes(10)
   */
  readonly maxQueueTime?: Duration;
}

/**
 * What IAM lets the provider's A4B calls be scoped to, by the Service Authorization Reference for Alexa for Business
 * ("Actions, resources, and condition keys for Alexa for Business"): CreateProfile, CreateSkillGroup and the Search
 * actions take no resource type, so '*'; CreateRoom requires the `profile` resource (the profile the room is made in).
 *
 * Deletes and updates are not limited to the stack's own resources by IAM: the reference lists no condition key for
 * profiles and skill groups, and aws:ResourceTag only for rooms and devices. A tag condition on rooms would not bound
 * the role either: to adopt a room (adoptExisting) or take one over from another resource of the stack, the role must
 * tag rooms that do not carry its tags yet (a4b:TagResource), and a role that may tag a room meets any tag condition.
 * What limits deletes and updates to the stack's own resources is the handler's ownership check
 * (lib/handlers/a4b/ownership.ts): it reads the owner tag before it changes or deletes anything, and leaves alone what
 * another resource holds.
 */
const UNSCOPED_ACTIONS = ['CreateProfile', 'CreateSkillGroup', 'SearchRooms', 'SearchProfiles', 'SearchSkillGroups', 'SearchDevices'];
/** A4B operations the handler calls on a room, profile, skill group or device ARN. */
const SCOPED_ACTIONS = ['GetRoom', 'UpdateRoom', 'DeleteRoom', 'GetProfile', 'UpdateProfile', 'DeleteProfile', 'GetSkillGroup', 'UpdateSkillGroup',
  'DeleteSkillGroup', 'AssociateSkillGroupWithRoom', 'DisassociateSkillGroupFromRoom', 'AssociateDeviceWithRoom', 'DisassociateDeviceFromRoom',
  'TagResource', 'UntagResource', 'ListTags'];

/** Lambda's asynchronous invocation (cold start) and the response PUT, on top of the function's timeout. */
const SERVICE_TIMEOUT_MARGIN_SECONDS = 30;
/**
 * Requests the provider handles at once by default. A first deploy of 10,000 rooms has about 32 shards x 25 rooms
 * (a wave each) in flight; at 10 A4B requests a second and about 3.5 requests a room, the last of them runs about
 * 280 seconds after it was sent, well within DEFAULT_MAX_QUEUE_TIME (`npm run bench` reports the figures).
 */
const DEFAULT_RESERVED_CONCURRENCY = 10;
const DEFAULT_MAX_QUEUE_TIME = Duration.minutes(10);
const DEFAULT_TIMEOUT = Duration.minutes(5);

/** The id of a stack's provider, or of the reference to it, in the top-level stack. */
const PROVIDER_ID = 'A4BRoomsProvider';

/** Where a provider created under another id or scope is found (a construct with no resources). */
class ProviderReference extends Construct {
  constructor(scope: Construct, id: string, public readonly provider: RoomsProvider) {
    super(scope, id);
  }
}

function providerIn(stack: Stack): RoomsProvider | undefined {
  const found = stack.node.tryFindChild(PROVIDER_ID) as (RoomsProvider & { provider?: RoomsProvider }) | undefined;
  return found?.provider ?? found;
}

/**
 * The Lambda function behind every room, room profile and skill group of a stack: one per stack, so a thousand
 * rooms share one function. Made with defaults when the first of them needs it; `RoomsProvider.of(scope, props)` (or
 * `new RoomsProvider`) configures it, before or after the first room.
 */
export class RoomsProvider extends Construct {
  /**
   * Whether `x` is a rooms provider construct, made by this copy of cdk-a4b-rooms or by another one in the same app
   * (use this rather than `instanceof`).
   */
  public static isRoomsProvider(x: any): x is RoomsProvider {
    return isMarked(x, 'RoomsProvider');
  }

  /**
   * The provider of the scope's top-level stack, found in the construct tree, or created with `props` when there is
   * none yet. Nested stacks share it (CloudFormation passes its ARN in as a parameter), so thousands of rooms in
   * shards still use one function.
   *
   * Props given when the stack already has a provider must agree with how it was made, or this throws; a provider
   * that the stack's rooms made with defaults, and that nobody else was given yet, is made again with `props`.
   */
  public static of(scope: Construct, props?: RoomsProviderProps): RoomsProvider {
    const stack = rootStack(scope);
    const existing = providerIn(stack);
    if (!existing || (props && existing.implicit)) return new RoomsProvider(stack, PROVIDER_ID, props);
    // Fields another copy of this library (of another version) may not have are read with care.
    if (props && existing.settings) {
      const conflicts = conflictingSettings(existing.settings, settingsOf(stack, props), props, existing.props);
      if (conflicts.length) {
        throw new Error(`RoomsProvider.of(${stack.node.path}): the stack's RoomsProvider at ${existing.node.path} has ${conflicts.map(([k, was]) => `${k} ${was}`).join(', ')}, `
          + `not ${conflicts.map(([k, , now]) => `${k} ${now}`).join(', ')}: give these props where it is first made (or the same ones), or call RoomsProvider.of without props`);
      }
    }
    // Handed out: it stays as it is, what else refers to it included.
    existing.implicit = false;
    existing.served?.splice(0);
    return existing;
  }

  /**
   * The provider of the scope's top-level stack, created with defaults when there is none yet.
   *
   * @deprecated use RoomsProvider.of(scope)
   */
  public static getOrCreate(scope: Construct): RoomsProvider {
    return RoomsProvider.of(scope);
  }

  /**
   * @internal The provider that serves a custom resource with these template `properties` (their ServiceToken and
   * ServiceTimeout): made with defaults if the stack has none, without handing it out, so that a provider configured
   * later takes its place and these properties are pointed at it.
   */
  public static _serve(scope: Construct, properties: Record<string, unknown>): RoomsProvider {
    const stack = rootStack(scope);
    let provider = providerIn(stack);
    if (!provider) {
      provider = new RoomsProvider(stack, PROVIDER_ID);
      provider.implicit = true;
    }
    properties.ServiceToken = provider.serviceToken;
    properties.ServiceTimeout = provider.serviceTimeoutSeconds ?? provider.serviceTimeout.toSeconds().toString();
    if (provider.implicit) provider.served.push(properties);
    return provider;
  }

  /** The ARN custom resources send their requests to. */
  public readonly serviceToken: string;

  /** The provider function. */
  public readonly function: lambda.IFunction;

  /** Requests the provider function handles at once, if reserved. */
  public readonly reservedConcurrency?: number;

  /**
   * How long CloudFormation waits for an answer from this provider (each custom resource's ServiceTimeout): the
   * longest a request may wait in Lambda's queue, plus the function's timeout, plus a margin. The handler answers
   * before its timeout; this only bounds the wait when the function dies without answering, instead of
   * CloudFormation's default of an hour.
   */
  public readonly serviceTimeout: Duration;

  /** Made by the stack's first room with defaults and not handed out: a provider configured later replaces it. */
  private implicit = false;
  /** The template properties of the custom resources it serves while implicit, repointed if it is replaced. */
  private readonly served: Array<Record<string, unknown>> = [];
  /** Its configuration, as a second RoomsProvider.of compares it. */
  private readonly settings: ProviderSettings;
  /** Its props, for the options compared by identity (log group, VPC, runtime, ...). */
  private readonly props: RoomsProviderProps;
  /** The ServiceTimeout as the template writes it, worked out once rather than per resource. */
  private readonly serviceTimeoutSeconds: string;

  constructor(scope: Construct, id: string, props: RoomsProviderProps = {}) {
    const stack = rootStack(scope);
    const existing = providerIn(stack);
    // The one its rooms made with defaults steps aside: taken out of the tree, its resources pointed at this one.
    const replaced = existing?.implicit ? existing : undefined;
    if (replaced) stack.node.tryRemoveChild(PROVIDER_ID);
    super(scope, id);
    mark(this, 'RoomsProvider');
    if (existing && !replaced) {
      throw new Error(`stack ${stack.node.path} already has a RoomsProvider at ${existing.node.path}, which it handed out (RoomsProvider.of): `
        + 'configure it with RoomsProvider.of(scope, props) where it is first used, and make only one');
    }
    this.settings = settingsOf(this, props);
    this.props = props;
    // Found in the tree, as aws-cdk-lib finds its singletons: at a fixed id in the top-level stack, or through a
    // reference there when created elsewhere. Two copies of this library in one app find the same provider.
    if (this.node.scope !== stack || id !== PROVIDER_ID) new ProviderReference(stack, PROVIDER_ID, this);
    if (props.maxAttempts !== undefined && (!Number.isInteger(props.maxAttempts) || props.maxAttempts < 1 || props.maxAttempts > 20)) {
      throw new Error(`RoomsProvider ${this.node.path}: maxAttempts ${props.maxAttempts} must be a whole number from 1 to 20`);
    }

    const timeout = props.timeout ?? DEFAULT_TIMEOUT;
    // Lambda's limit.
    if (!timeout.isUnresolved() && (timeout.toMilliseconds() < 1000 || timeout.toMilliseconds() > 900_000)) {
      throw new Error(`RoomsProvider ${this.node.path}: timeout ${timeout.toHumanString()} must be from 1 second to 15 minutes (Lambda's limit)`);
    }
    const maxQueueTime = props.maxQueueTime ?? DEFAULT_MAX_QUEUE_TIME;
    const serviceTimeout = serviceTimeoutFor(timeout.plus(maxQueueTime));
    if (!serviceTimeout.isUnresolved() && serviceTimeout.toSeconds() > 3600) {
      throw new Error(`RoomsProvider ${this.node.path}: timeout ${timeout.toHumanString()} + maxQueueTime ${maxQueueTime.toHumanString()} + ${SERVICE_TIMEOUT_MARGIN_SECONDS} s `
        + `is ${serviceTimeout.toSeconds()} s, over CloudFormation's 3,600 s ServiceTimeout: shorten one of them`);
    }
    const reserved = props.reserveConcurrency === false ? undefined : props.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY;
    if (props.reserveConcurrency === false && props.reservedConcurrency !== undefined) {
      throw new Error(`RoomsProvider ${this.node.path}: reservedConcurrency ${props.reservedConcurrency} is set with reserveConcurrency false: remove one`);
    }
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1 || reserved > 1000)) {
      throw new Error(`RoomsProvider ${this.node.path}: reservedConcurrency ${reserved} must be a whole number from 1 to 1000 (0 would refuse every request; set reserveConcurrency: false for none)`);
    }
    const { region: a4bRegion, endpoint: a4bEndpoint } = a4bLocation(this, props);
    const environment: Record<string, string> = { [HandlerEnv.A4B_REGION]: a4bRegion };
    if (a4bEndpoint) environment[HandlerEnv.A4B_ENDPOINT] = a4bEndpoint;
    if (props.maxAttempts) environment[HandlerEnv.A4B_MAX_ATTEMPTS] = String(props.maxAttempts);

    const fn = bundledFunction(this, {
      ...securityOptionsOf(props),
      owner: `RoomsProvider ${this.node.path}`,
      asset: 'a4b-provider',
      memorySize: 256,
      timeout,
      description: 'cdk-a4b-rooms: creates, updates and deletes Alexa for Business rooms, room profiles and skill groups',
      environment,
      logRetention: props.logRetention,
      reservedConcurrentExecutions: reserved,
    });
    const arn = (type: string) => stack.formatArn({ service: 'a4b', region: a4bRegion, resource: type, resourceName: '*' });
    fn.addToRolePolicy(new iam.PolicyStatement({
      sid: 'A4BCreateAndSearch',
      actions: UNSCOPED_ACTIONS.map((a) => `a4b:${a}`),
      // These actions support no resource-level permissions in IAM.
      resources: ['*'],
    }));
    fn.addToRolePolicy(new iam.PolicyStatement({
      sid: 'A4BCreateRoomsInProfiles',
      actions: ['a4b:CreateRoom'],
      resources: [arn('profile')],
    }));
    fn.addToRolePolicy(new iam.PolicyStatement({
      sid: 'A4BManageRoomsProfilesSkillGroups',
      actions: SCOPED_ACTIONS.map((a) => `a4b:${a}`),
      resources: ['room', 'profile', 'skill-group', 'device'].map(arn),
    }));
    acceptNagFindings(fn, [A4B_WILDCARDS]);
    this.function = fn;
    this.serviceToken = fn.functionArn;
    this.serviceTimeout = serviceTimeout;
    this.serviceTimeoutSeconds = serviceTimeout.toSeconds().toString();
    this.reservedConcurrency = reserved;
    if (replaced) {
      for (const properties of replaced.served) {
        properties.ServiceToken = this.serviceToken;
        properties.ServiceTimeout = this.serviceTimeoutSeconds;
      }
    }
  }
}

/** A provider's configuration, each setting as an error message shows it. */
type ProviderSettings = Record<string, string>;

/** What `props` configure, with the defaults filled in (so a default given explicitly agrees with one left out). */
function settingsOf(scope: Construct, props: RoomsProviderProps): ProviderSettings {
  const { region, endpoint } = a4bLocation(scope, props);
  const duration = (d: Duration | undefined, byDefault: Duration) => (d ?? byDefault).toHumanString();
  const reserved = props.reserveConcurrency === false ? 'none' : String(props.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY);
  return {
    a4bRegion: region,
    a4bEndpoint: endpoint ?? 'the public one',
    timeout: duration(props.timeout, DEFAULT_TIMEOUT),
    maxQueueTime: duration(props.maxQueueTime, DEFAULT_MAX_QUEUE_TIME),
    maxAttempts: props.maxAttempts === undefined ? 'the default' : String(props.maxAttempts),
    reservedConcurrency: reserved,
    reserveConcurrency: String(props.reserveConcurrency !== false),
    logRetention: String(props.logRetention ?? logs.RetentionDays.ONE_MONTH),
  };
}

/**
 * The settings `props` give (those left out ask for nothing) that differ from `was`: [name, was, now]. Options that
 * are constructs or objects (the security options: log group, key, VPC, subnets, security groups, runtime) differ
 * unless they are the same object.
 */
function conflictingSettings(
  was: ProviderSettings, now: ProviderSettings, props: RoomsProviderProps, wasProps: RoomsProviderProps = {},
): Array<[string, string, string]> {
  const given = Object.entries(props).filter(([, v]) => v !== undefined).map(([k]) => k);
  const before = wasProps as Record<string, unknown>;
  const after = props as Record<string, unknown>;
  const differs = (k: string) => (k in now ? now[k] !== was[k] : before[k] !== after[k]);
  const shown = (k: string): [string, string, string] => (k in now ? [k, was[k], now[k]] : [k, before[k] === undefined ? 'none' : 'another', 'the one given']);
  return given.filter(differs).map(shown);
}

/**
 * @internal The provider of the scope's top-level stack, made with a construct's security options (a RoomInventory's):
 * made here, since one made earlier has options of its own that these would silently not reach.
 */
export function providerWithSecurity(scope: Construct, owner: string, security: HandlerSecurityOptions): RoomsProvider {
  const stack = rootStack(scope);
  const existing = providerIn(stack);
  // One the stack's rooms made with defaults, not handed out, steps aside (RoomsProvider's constructor).
  if (existing && !(existing as unknown as { implicit?: boolean }).implicit) {
    throw new Error(`${owner}: stack ${stack.node.path} already has a RoomsProvider at ${existing.node.path}, which the security options given here `
      + '(logGroup, logEncryptionKey, vpc, vpcSubnets, securityGroups, runtime) would not reach: give them to that RoomsProvider and not here, or create it after this');
  }
  return new RoomsProvider(stack, PROVIDER_ID, security);
}

/**
 * @internal CloudFormation's wait for a custom resource's answer: the function's timeout plus a margin for Lambda's
 * asynchronous invocation (queueing, cold start) and the response PUT. CloudFormation's ServiceTimeout is 1 to 3600
 * seconds, default 3600 (CfnCustomResourceProps.serviceTimeout in the aws-cdk-lib reference).
 */
export function serviceTimeoutFor(functionTimeout: Duration): Duration {
  return functionTimeout.plus(Duration.seconds(SERVICE_TIMEOUT_MARGIN_SECONDS));
}

/** @internal The top-level stack of a scope: the one whose template CloudFormation deploys directly. */
export function rootStack(scope: Construct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}
