import * as fs from 'fs';
import * as path from 'path';
import { Annotations, AspectPriority, Aspects, attachCustomSynthesis, CfnOutput, CfnResource, CustomResource, Duration, IAspect, IResolvable, IResolveContext, Lazy, NestedStack, Stack, Stage, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { attached, attachedValue, isMarked, mark } from './markers';
import { createHash } from 'crypto';
import { acceptNagFindings, bundledFunction, SECRET_BY_NAME, securityOptionsOf } from './bundled-function';
import { HandlerSecurityOptions } from './handler-options';
import { DOMAIN_PATTERN, GUID_PATTERN, MAILBOX_PATTERN } from './constraints';
import { CalendarLinkAttributes, CalendarLinkMethods, CalendarLinkProps as P, DEFAULT_ACCEPTED_ROLES, DEFAULT_CONSENT_RESOURCES, HandlerEnv, GateCheckProps, LinkedRoomProps, MailboxCheckGateProps as G, ResourceTypes } from './contract';
import { holdsToken } from './lean-cfn-resource';
import { rootStack, serviceTimeoutFor } from './provider';
import { Room } from './room';
import { RoomProfile } from './room-profile';
import { SkillGroup } from './skill-group';
import { PropsProblems } from './validation';


/** Options of the delegate method. */
export interface DelegateOptions {
  /**
   * The service account's user principal name, e.g. `alexaforbusiness@contoso.com`: it needs Editor on every room calendar.
   */
  readonly serviceAccount: string;
}

/** Options of the application method. */
export interface ApplicationOptions {
  /**
   * The application (client) id of the A4B enterprise app in your tenant, whose Calendars.ReadWrite consent is checked.
   */
  readonly applicationId: string;
}

/** How A4B reaches the room calendars (A4B administration guide, "Link Alexa for Business to Office 365"). */
export class CalendarLinkMethod {
  /** Method 1 (recommended): a service account with Editor on each room calendar. */
  public static delegate(options: DelegateOptions): CalendarLinkMethod {
    return new CalendarLinkMethod(CalendarLinkMethods.DELEGATE, options.serviceAccount, undefined);
  }

  /** Method 2: application permissions (read and write to all calendars), consented once by a global administrator. */
  public static application(options: ApplicationOptions): CalendarLinkMethod {
    return new CalendarLinkMethod(CalendarLinkMethods.APPLICATION, undefined, options.applicationId);
  }

  private constructor(
    /** `delegate` or `application`. */
    public readonly kind: string,
    /** The service account (delegate). */
    public readonly serviceAccount?: string,
    /** The A4B enterprise app id (application). */
    public readonly applicationId?: string,
  ) {}
}

/** A calendar role as Microsoft Graph reports it (`calendarPermission.role`). */
export class CalendarRole {
  public static readonly WRITE = new CalendarRole('write');
  public static readonly DELEGATE_WITHOUT_PRIVATE_EVENT_ACCESS = new CalendarRole('delegateWithoutPrivateEventAccess');
  public static readonly DELEGATE_WITH_PRIVATE_EVENT_ACCESS = new CalendarRole('delegateWithPrivateEventAccess');
  public static readonly CUSTOM = new CalendarRole('custom');
  /** A role this library does not list yet. */
  public static of(value: string): CalendarRole { return new CalendarRole(value); }
  private constructor(public readonly value: string) {}
}

/**
 * A resource on which the A4B app may hold its Calendars.ReadWrite consent (application method). Which one A4B's app
 * uses is not documented (A4B's limited-access guide uses EWS, whose resource is Office 365 Exchange Online).
 */
export class ConsentResource {
  /** Microsoft Graph (00000003-0000-0000-c000-000000000000). */
  public static readonly MICROSOFT_GRAPH = new ConsentResource('graph');
  /** Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000). */
  public static readonly EXCHANGE_ONLINE = new ConsentResource('exchange');
  private constructor(
    /** `graph` or `exchange`. */
    public readonly value: string,
  ) {}
}

/**
 * Properties for an Office365CalendarLink.
 */
export interface Office365CalendarLinkProps extends HandlerSecurityOptions {
  /**
   * The Microsoft 365 tenant: its directory id (GUID) or a verified domain such as `contoso.onmicrosoft.com`.
   */
  readonly tenant: string;

  /**
   * Delegate (service account) or application permissions.
   */
  readonly method: CalendarLinkMethod;

  /**
   * The secret holding the Entra ID app registration that validates the link, as JSON:
   * `{"clientId": "...", "clientSecret": "..."}` or `{"clientId": "...", "certificatePem": "<key and certificate>"}`.
   * The app needs the Graph application permissions User.Read.All, MailboxSettings.Read and Place.Read.All, plus
   * Calendars.Read (Calendars.ReadWrite with `grantMissingPermissions`) and GroupMember.Read.All for the delegate
   * method, or Application.Read.All for the application method. Only the provider function reads it, at deploy time.
   */
  readonly credentials: secretsmanager.ISecret;

  /**
   * Delegate method: give the service account `write` on room calendars where it lacks an accepted role. Never
   * removes or lowers any permission.
   *
   * @default false
   */
  readonly grantMissingPermissions?: boolean;

  /**
   * Roles that count as Exchange's Editor right for the service account.
   *
   * @default - write, delegateWithoutPrivateEventAccess, delegateWithPrivateEventAccess
   */
  readonly acceptedRoles?: CalendarRole[];

  /**
   * Application method: the resources on which the A4B app's Calendars.ReadWrite application permission counts as
   * the consent A4B needs.
   *
   * @default - Microsoft Graph and Office 365 Exchange Online
   */
  readonly consentResources?: ConsentResource[];

  /**
   * Entra ID authority host.
   *
   * @default - https://login.microsoftonline.com
   */
  readonly authorityHost?: string;

  /**
   * Microsoft Graph base URL (without the version).
   *
   * @default - https://graph.microsoft.com
   */
  readonly graphBaseUrl?: string;

  /**
   * How long the validation function's logs are kept (not with `logGroup`).
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Add a stack output, `ConsoleStep`, saying the console's "Link account" step, which A4B has no API for. The same
   * text is `consoleStep`, for an output or a notice of your own.
   *
   * @default false
   */
  readonly consoleStepOutput?: boolean;
}

/** Thousands of rooms are a few hundred Graph batches; throttled items wait for their Retry-After. */
const LINK_FUNCTION_TIMEOUT = Duration.minutes(10);

/**
 * The Office 365 side of the A4B calendar link, checked on every deploy before any A4B write: each room mailbox of
 * the stack exists and is a room, and the service account may write its calendar (or the A4B app holds the
 * consent). Every Room, RoomProfile and SkillGroup of the stack waits for it, so a bad mailbox fails the deploy with
 * A4B untouched.
 *
 * A4B has no API for the console's "Link account" step: `consoleStep` says what is left to do (and, with
 * `consoleStepOutput`, a stack output).
 *
 * @resource Custom::A4BCalendarLink
 */
export class Office365CalendarLink extends Construct {
  /**
   * Whether `x` is an Office 365 calendar link construct, made by this copy of cdk-a4b-rooms or by another one in the same app
   * (use this rather than `instanceof`).
   */
  public static isOffice365CalendarLink(x: any): x is Office365CalendarLink {
    return isMarked(x, 'Office365CalendarLink');
  }

  /** The link of a scope's top-level stack, if it has one. */
  public static of(scope: IConstruct): Office365CalendarLink | undefined {
    return attachedValue<Office365CalendarLink>(rootStack(scope), 'CalendarLink');
  }

  /** The validation function. */
  public readonly function: lambda.IFunction;
  /** The secret with the Graph app's credentials. */
  public readonly credentials: secretsmanager.ISecret;
  /** The tenant. */
  public readonly tenant: string;
  /** The console's "Link account" step, which A4B has no API for: where to click and whom to sign in as. */
  public readonly consoleStep: string;
  private readonly resource: CustomResource;
  private readonly linkProperties: Record<string, unknown>;
  private readonly validations = new Map<Stack, CustomResource>();
  /** The checks that record their bad rooms instead of failing, by the stack whose rooms they check. */
  private readonly recorded = new Map<Stack, CustomResource>();
  private gate?: CustomResource;
  private readonly header: string;

  constructor(scope: Construct, id: string, props: Office365CalendarLinkProps) {
    super(scope, id);
    mark(this, 'Office365CalendarLink');
    const stack = Stack.of(this);
    // Kept on the top-level stack under a key every copy of the library shares, so Office365CalendarLink.of finds it.
    const existing = attached<Office365CalendarLink>(rootStack(this), 'CalendarLink', () => this);
    if (existing !== this) throw new Error(`stack ${rootStack(this).node.path} already has an Office365CalendarLink at ${existing.node.path}: an A4B account links to one tenant`);

    const p = new PropsProblems('calendar link');
    p.check('tenant', props.tenant, Token.isUnresolved(props.tenant) || GUID_PATTERN.test(props.tenant) || DOMAIN_PATTERN.test(props.tenant), 'must be the directory id (a GUID) or a domain such as contoso.onmicrosoft.com');
    if (props.method.serviceAccount !== undefined) {
      p.check('serviceAccount', props.method.serviceAccount, Token.isUnresolved(props.method.serviceAccount) || MAILBOX_PATTERN.test(props.method.serviceAccount), "must be the service account's user principal name, e.g. alexaforbusiness@contoso.com");
    }
    if (props.method.applicationId !== undefined) {
      p.check('applicationId', props.method.applicationId, Token.isUnresolved(props.method.applicationId) || GUID_PATTERN.test(props.method.applicationId), 'must be an application (client) id, a GUID');
    }
    if (props.consentResources !== undefined && props.method.kind !== CalendarLinkMethods.APPLICATION) {
      p.check('consentResources', props.consentResources.map((r) => r.value).join(', '), false, 'applies to the application method only (the delegate method needs no consent)');
    }
    if (props.consentResources !== undefined && !props.consentResources.length) {
      p.check('consentResources', '[]', false, 'must name at least one resource: ConsentResource.MICROSOFT_GRAPH or ConsentResource.EXCHANGE_ONLINE (omit it for both)');
    }
    if (props.grantMissingPermissions && props.method.kind !== CalendarLinkMethods.DELEGATE) {
      p.check('grantMissingPermissions', true, false, 'applies to the delegate method only (application permissions are consented in the A4B console)');
    }
    // Checked at synth, as Room, RoomProfile and SkillGroup check theirs: one synth reports every problem of every
    // construct of the app, as `a4b-rooms validate` does for a file (lib/validation.ts). What makes the construct
    // impossible to build (a second link in the stack) still throws at once.
    this.node.addValidation({ validate: () => p.problems });

    const fn = bundledFunction(this, {
      ...securityOptionsOf(props),
      owner: `Office365CalendarLink ${this.node.path}`,
      asset: 'calendar-link-provider',
      memorySize: 512,
      timeout: LINK_FUNCTION_TIMEOUT,
      description: 'cdk-a4b-rooms: validates the Office 365 side of the A4B calendar link before any A4B write',
      environment: {
        ...(props.authorityHost ? { [HandlerEnv.AUTHORITY_HOST]: props.authorityHost } : {}),
        ...(props.graphBaseUrl ? { [HandlerEnv.GRAPH_BASE_URL]: props.graphBaseUrl } : {}),
      },
      logRetention: props.logRetention,
    });
    props.credentials.grantRead(fn);
    acceptNagFindings(fn, [SECRET_BY_NAME]);
    this.credentials = props.credentials;
    this.tenant = props.tenant;
    this.function = fn;

    this.linkProperties = {
      [P.TENANT]: props.tenant,
      [P.METHOD]: props.method.kind,
      [P.SERVICE_ACCOUNT]: props.method.serviceAccount,
      [P.APPLICATION_ID]: props.method.applicationId,
      [P.CREDENTIALS_SECRET_ARN]: props.credentials.secretArn,
      [P.GRANT_MISSING_PERMISSIONS]: props.grantMissingPermissions || undefined,
      [P.ACCEPTED_ROLES]: props.acceptedRoles?.map((r) => r.value) ?? DEFAULT_ACCEPTED_ROLES,
      [P.CONSENT_RESOURCES]: props.method.kind === CalendarLinkMethods.APPLICATION
        ? props.consentResources?.map((r) => r.value) ?? DEFAULT_CONSENT_RESOURCES
        : undefined,
    };
    this.header = `calendar link (tenant ${props.tenant}, ${props.method.kind === CalendarLinkMethods.DELEGATE ? `delegate ${props.method.serviceAccount}` : `application ${props.method.applicationId}`})`;
    // The secret's ARN, never its value, goes into the template.
    this.resource = this.validation(stack);
    this.node.addValidation({
      validate: () => {
        if (!this.recorded.size) return [];
        if (!this.gate) return [`${this.node.path}: checks made with recordRoomsIn need a gate (gateRecordedChecks), or bad rooms would never fail the deploy`];
        const gateStack = Stack.of(this.gate!);
        return [...this.recorded.values()].filter((c) => Stack.of(c) !== gateStack && Stack.of(c).nestedStackParent !== gateStack)
          .map((c) => `${c.node.path}: a recorded check must be in the stack of its gate (${gateStack.node.path}) or in a nested stack of it`);
      },
    });

    this.consoleStep = props.method.kind === CalendarLinkMethods.DELEGATE
      ? `In the A4B console choose Calendar > Office 365 > Service account using delegate access > Link account, sign in as ${props.method.serviceAccount} and accept the user consent.`
      : `In the A4B console choose Calendar > Office 365 > Application permissions > Link account, sign in as a Global Administrator of ${props.tenant} and consent to read and write access to all calendars.`;
    // Outputs are the stack's interface, and a user's stack may have its own uses for its 200: only when asked.
    if (props.consoleStepOutput) new CfnOutput(this, 'ConsoleStep', { description: 'The one step A4B has no API for', value: this.consoleStep });

    // It adds dependencies: mutating, so it runs before aspects that only read the tree (cdk-nag, validations).
    Aspects.of(this).add(new LinkAspect(this), { priority: AspectPriority.MUTATING });
  }

  /**
   * Validates the room mailboxes of another stack (a nested stack holding a shard of rooms). By default the check
   * runs in that stack, before its rooms; give `scope` to run it elsewhere, e.g. in a stack that every A4B write of
   * the deployment waits for. The stack's rooms also wait for the link's own check.
   *
   * @returns the validation, for ordering it after others
   */
  public validateRoomsIn(roomsStack: Stack, scope?: Construct, id?: string): IConstruct {
    return this.validation(roomsStack, scope, id);
  }

  /**
   * Like validateRoomsIn, but the check records the bad rooms it finds instead of failing: it logs each (with its
   * fix) and returns a summary, and the gate (gateRecordedChecks) fails the deploy with the bad rooms of every
   * recorded check at once. Recorded checks do not wait for each other, so they run side by side. The stack's rooms
   * wait for the gate.
   *
   * @returns the check
   */
  public recordRoomsIn(roomsStack: Stack, scope: Construct, id: string): IConstruct {
    if (this.validations.has(roomsStack)) throw new Error(`${this.node.path}: the rooms of ${roomsStack.node.path} are already checked`);
    const check = this.validation(roomsStack, scope, id, true);
    this.recorded.set(roomsStack, check);
    return check;
  }

  /**
   * The gate after every check made with recordRoomsIn (in their stack, or in the stack their nested stacks are in): it fails the deploy when any
   * of them recorded a bad room, with one message (within CloudFormation's 4 KB) giving the count of each kind of
   * problem, the first rooms of each, and where the full list is. Rooms of the recorded stacks wait for it.
   *
   * @returns the gate
   */
  public gateRecordedChecks(scope: Construct, id: string): IConstruct {
    if (this.gate) throw new Error(`${this.node.path}: the recorded checks already have a gate at ${this.gate.node.path}`);
    this.gate = new CustomResource(scope, id, {
      serviceToken: this.function.functionArn,
      serviceTimeout: serviceTimeoutFor(LINK_FUNCTION_TIMEOUT),
      resourceType: ResourceTypes.MAILBOX_CHECK_GATE,
      properties: {
        [G.HEADER]: this.header,
        // Tells the rollback to an accepted state from a new deploy (lib/handlers/calendar-link/gate.ts).
        // A hash of resolved values holds no reference: CDK's search for references (`preparing`) need not compute it.
        [G.CHECKED]: onceRendered(() => this.checkedHash(), () => ''),
        // Fn::GetAtt of each check: the gate runs after all of them.
        [G.CHECKS]: Lazy.any({
          produce: () => [...this.recorded.values()].map((c) =>
            ({ [GateCheckProps.NAME]: c.node.id, [GateCheckProps.FINDINGS]: c.getAttString(CalendarLinkAttributes.FINDINGS) })),
        }),
      },
    });
    return this.gate;
  }

  /** A hash of what the recorded checks check: the link and each check's rooms. */
  private checkedHash(): string {
    const stack = Stack.of(this);
    const what = {
      link: stack.resolve(this.linkProperties),
      timeout: LINK_FUNCTION_TIMEOUT.toSeconds(),
      checks: [...this.recorded].map(([roomsStack, check]) => {
        const rooms = this._linkedRooms(roomsStack).map((r) => [r.roomName, r.mailbox!]);
        // Names and mailboxes are plain text unless a token stands in one; resolving 10,000 plain pairs changes nothing.
        return [check.node.path, holdsToken(rooms) ? stack.resolve(rooms) : rooms];
      }),
    };
    return createHash('sha256').update(JSON.stringify(what)).digest('base64url');
  }

  /** @internal What a stack's rooms wait for: its check, or the gate of a recorded check; if there is one. */
  public _validationOf(stack: Stack): CustomResource | undefined {
    return this.recorded.has(stack) ? this.gate : this.validations.get(stack);
  }

  /** @internal The link's own validation (its stack's rooms and the link itself). */
  public get _ownValidation(): CustomResource {
    return this.resource;
  }

  /** @internal The rooms each validation checks: the ones with a mailbox in its stack. */
  public _linkedRooms(stack: Stack): Room[] {
    // In construct order, as findAll lists them, without nested stacks (their rooms are theirs): each check's list
    // is made two or three times a synth, and a walk that skips them costs a fraction of findAll and Stack.of.
    const rooms: Room[] = [];
    const walk = (scope: IConstruct) => {
      for (const c of scope.node.children) {
        if (Stack.isStack(c)) continue;
        if (Room.isRoom(c) && c.mailbox !== undefined) rooms.push(c);
        walk(c);
      }
    };
    walk(stack);
    return rooms;
  }

  private validation(roomsStack: Stack, scope?: Construct, id?: string, recordFindings?: boolean): CustomResource {
    let resource = this.validations.get(roomsStack);
    if (resource) return resource;
    const own = roomsStack === Stack.of(this) && !scope;
    resource = new CustomResource(scope ?? (own ? this : roomsStack), id ?? (own ? 'Resource' : 'CalendarLinkValidation'), {
      serviceToken: this.function.functionArn,
      serviceTimeout: serviceTimeoutFor(LINK_FUNCTION_TIMEOUT),
      resourceType: ResourceTypes.CALENDAR_LINK,
      properties: {
        ...this.linkProperties,
        [P.RECORD_FINDINGS]: recordFindings || undefined,
        // CDK's search for references (`preparing`) gets only the rooms with a token in their name or mailbox.
        [P.ROOMS]: onceRendered(
          () => this._linkedRooms(roomsStack).map((r) => ({ [LinkedRoomProps.NAME]: r.roomName, [LinkedRoomProps.MAILBOX]: r.mailbox })),
          (rooms) => rooms.filter(holdsToken),
        ),
      },
    });
    this.validations.set(roomsStack, resource);
    return resource;
  }
}

/**
 * A value made once, when first resolved (as Lazy.any and Lazy.string make theirs), of which CDK's search for
 * references (a resolve with `preparing` set, before any template is written) gets only `referencing(value)`: the
 * part that can hold a reference. The value is made in that search, after every construct is in place.
 */
function onceRendered<T>(make: () => T, referencing: (value: T) => unknown): IResolvable {
  let value: { made: T } | undefined;
  return Lazy.uncachedAny({
    produce: (context: IResolveContext) => {
      value ??= { made: make() };
      return context.preparing ? referencing(value.made) : value.made;
    },
  });
}

function setCalendarProcessing(mailbox: string): string {
  return `Set-CalendarProcessing "${mailbox}" -DeleteComments $FALSE`;
}

/** Every A4B resource under the link's stack waits for the link; the link says which Exchange setting Graph cannot check. */
class LinkAspect implements IAspect {
  private visited = false;
  /** Per stack, the validations it already waits for as a whole (keyed by object: paths cost CDK a walk each). */
  private readonly stackLevel = new Map<Stack, Set<IConstruct>>();
  /** Stacks whose every wait is made at stack level, and whether a validation checks their mailboxes. */
  private readonly settled = new Map<Stack, { readonly checked: boolean }>();

  constructor(private readonly link: Office365CalendarLink) {}

  /**
   * `target` (in `stack`) waits for `validation`. Across stacks the whole stack waits, once: a dependency per room
   * across stacks costs CDK seconds at 10,000 rooms and says the same.
   */
  private waitFor(target: IConstruct, stack: Stack, validation: CustomResource | undefined): boolean {
    if (!validation) return true;
    const other = Stack.of(validation);
    if (other === stack) {
      target.node.addDependency(validation);
      return false;
    }
    let waited = this.stackLevel.get(stack);
    if (!waited) this.stackLevel.set(stack, waited = new Set());
    if (waited.has(validation)) return true;
    waited.add(validation);
    if (stack.nestedStackParent && stack.nestedStackParent === other) {
      (stack as NestedStack).nestedStackResource!.node.addDependency(validation.node.defaultChild as CfnResource);
    } else if (stack.nestedStackParent && stack.nestedStackParent === other.nestedStackParent) {
      // Construct dependencies between the nested stacks' resources: Stack#addDependency is deprecated in aws-cdk-lib 2.276.
      (stack as NestedStack).nestedStackResource!.node.addDependency((other as NestedStack).nestedStackResource!);
    } else {
      stack.node.addDependency(validation);
    }
    return true;
  }

  visit(node: IConstruct): void {
    // Applied to the link rather than its stack: CDK's aspect bookkeeping then covers the link's dozen constructs,
    // not every construct of the stack (which grows with the rooms), and one walk finds what the link orders. Rooms are
    // made by constructs, before synth; one that another aspect added after this one ran would not be ordered.
    if (node !== this.link || this.visited) return;
    this.visited = true;
    const root = rootStack(this.link);
    const underRoot = root.node.findAll();
    const linkStack = Stack.of(this.link);
    for (const c of linkStack === root ? underRoot : linkStack.node.findAll()) {
      if (Room.isRoom(c) || RoomProfile.isRoomProfile(c) || SkillGroup.isSkillGroup(c)) this.order(c);
    }
    this.notice(root, underRoot);
  }

  /** `resource` waits for its stack's validation and the link's own; a room whose mailbox nothing checks is an error. */
  private order(resource: Room | RoomProfile | SkillGroup): void {
    const stack = Stack.of(resource);
    // A stack that waits as a whole (a shard of an inventory) is settled by its first room: 10,000 rooms, 32 stacks.
    let settled = this.settled.get(stack);
    if (!settled) {
      if (rootStack(stack) !== rootStack(this.link)) return;
      const target = resource.node.defaultChild ?? resource;
      const own = this.link._validationOf(stack);
      const ownAsAWhole = this.waitFor(target, stack, own);
      const linkAsAWhole = stack === Stack.of(this.link) || this.waitFor(target, stack, this.link._ownValidation);
      settled = { checked: own !== undefined };
      if (ownAsAWhole && linkAsAWhole) this.settled.set(stack, settled);
    }
    if (!settled.checked && Room.isRoom(resource) && resource.mailbox !== undefined) {
      Annotations.of(resource).addError(`room ${resource.roomName} is in stack ${stack.node.path}, whose mailboxes the calendar link does not check: call validateRoomsIn(stack) on the Office365CalendarLink`);
    }
  }

  /** Says which Exchange setting Graph cannot check, for the room mailboxes under `root`, with a script for them. */
  private notice(root: Stack, underRoot: IConstruct[]): void {
    const mailboxes = (all: IConstruct[]) => all.filter((c): c is Room => Room.isRoom(c) && c.mailbox !== undefined)
      .map((r) => r.mailbox!).filter((m) => !Token.isUnresolved(m));
    const seen = mailboxes(underRoot);
    const count = seen.length;
    if (!count) return;
    // Short at any size: a count, a few examples, and the script with every room, written into the cloud assembly.
    const script = `${root.artifactId}.delete-comments.ps1`;
    attachCustomSynthesis(this.link, {
      onSynthesize: (session) => fs.writeFileSync(path.join(session.outdir, script), `${mailboxes(root.node.findAll()).map(setCalendarProcessing).join('\n')}\n`),
    });
    const outdir = Stage.of(this.link)?.outdir;
    const where = outdir ? path.join(path.relative(process.cwd(), outdir) || '.', script) : script;
    Annotations.of(this.link).addInfo(
      `Graph cannot read whether room mailboxes keep meeting descriptions, which Alexa needs for dial-in details. For the ${thousands(count)} room mailbox${count > 1 ? 'es' : ''} `
      + `of this stack run in Exchange Online PowerShell the script ${where} (one line per room, e.g. ${seen.slice(0, 2).map(setCalendarProcessing).join('; ')}), `
      + 'or for every room mailbox of the tenant: Get-Mailbox -ResultSize unlimited -RecipientTypeDetails RoomMailbox | Set-CalendarProcessing -DeleteComments $FALSE');
  }
}

/** 12,345: as toLocaleString('en-US') writes it, without loading ICU's number formats into every synth (~10 ms). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
