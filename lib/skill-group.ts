import { IResource, ITaggable, RemovalPolicy, Resource, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isMarked, mark } from './markers';
import { showValue, StringRules } from './constraints';
import { Attributes, ResourceTypes, SkillGroupProps as P } from './contract';
import { finishImport, importedArn, ImportedKind, requireArnOrName } from './imported';
import { providerResource } from './provider-resource';
import { checkTags, PropsProblems } from './validation';

const SKILL_GROUP_IMPORT: ImportedKind = { kind: 'skill group', method: 'SkillGroup.fromSkillGroupAttributes', arnProp: 'skillGroupArn', nameProp: 'skillGroupName', nameRule: StringRules.SkillGroupName };

/** An A4B skill group: the skills enabled in the rooms it is associated with. */
export interface ISkillGroup extends IResource {
  /**
   * The ARN of the skill group.
   *
   * @attribute
   */
  readonly skillGroupArn: string;
}

/** A skill group made outside this stack: its ARN, its name, or both. */
export interface SkillGroupAttributes {
  /**
   * The ARN of the skill group.
   *
   * @default - only its name is known: rooms name it (the provider finds it at deploy time), and reading `skillGroupArn` throws
   */
  readonly skillGroupArn?: string;

  /**
   * The skill group's name in A4B.
   *
   * @default - only its ARN is known
   */
  readonly skillGroupName?: string;
}

/**
 * Properties for a SkillGroup.
 */
export interface SkillGroupProps {
  /**
   * The skill group's name, unique in the A4B account (1-100 characters).
   */
  readonly skillGroupName: string;

  /**
   * What the skill group is for (1-200 characters). A4B cannot remove a description once set, only change it.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * A4B tags of the skill group (also takes tags applied with `Tags.of(scope)`).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Take over an existing skill group of the same name instead of failing.
   *
   * @default false
   */
  readonly adoptExisting?: boolean;

  /**
   * What happens to the A4B skill group when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An A4B skill group. Rooms list the skill groups they use.
 *
 * @resource Custom::A4BSkillGroup
 */
export class SkillGroup extends Resource implements ISkillGroup, ITaggable {
  /**
   * Whether `x` is a skill group construct, made by this copy of cdk-a4b-rooms or by another one in the same app
   * (use this rather than `instanceof`).
   */
  public static isSkillGroup(x: any): x is SkillGroup {
    return isMarked(x, 'SkillGroup');
  }

  /** A skill group that exists outside this stack. */
  public static fromSkillGroupArn(scope: Construct, id: string, skillGroupArn: string): ISkillGroup {
    return SkillGroup.fromSkillGroupAttributes(scope, id, { skillGroupArn });
  }

  /**
   * A skill group that exists outside this stack, by ARN, by name, or both. Rooms use one known only by name by its
   * name, which the provider resolves at deploy time (A4B's names ignore case), as they use skill groups of other stacks.
   */
  public static fromSkillGroupAttributes(scope: Construct, id: string, attrs: SkillGroupAttributes): ISkillGroup {
    const { skillGroupArn, skillGroupName } = attrs;
    requireArnOrName(SKILL_GROUP_IMPORT, `${scope.node.path}/${id}`, skillGroupArn, skillGroupName);
    class Import extends Resource implements ISkillGroup {
      public readonly skillGroupName = skillGroupName;
      public get skillGroupArn(): string {
        return importedArn(SKILL_GROUP_IMPORT, this, skillGroupArn, skillGroupName);
      }
    }
    return finishImport(SKILL_GROUP_IMPORT, new Import(scope, id, { physicalName: skillGroupName }), skillGroupArn, skillGroupName);
  }

  public readonly skillGroupArn: string;
  /** The skill group's name. */
  public readonly skillGroupName: string;
  public readonly tags: TagManager;

  constructor(scope: Construct, id: string, props: SkillGroupProps) {
    // Its physical name is its A4B name. Given, it also spares CDK a token per resource (10,000 at the room quota).
    super(scope, id, { physicalName: props.skillGroupName });
    mark(this, 'SkillGroup');
    this.skillGroupName = props.skillGroupName;
    this.tags = new TagManager(TagType.KEY_VALUE, ResourceTypes.SKILL_GROUP, props.tags);
    const what = `skill group ${showValue(props.skillGroupName)}`;
    this.node.addValidation({
      validate: () => {
        const p = new PropsProblems(what)
          .string('skillGroupName', props.skillGroupName, StringRules.SkillGroupName)
          .string('description', props.description, StringRules.SkillGroupDescription);
        checkTags(p, this.tags.tagValues(), { key: StringRules.TagKey, value: StringRules.TagValue });
        return p.problems;
      },
    });
    const resource = providerResource(this, 'Resource', {
      type: ResourceTypes.SKILL_GROUP,
      removalPolicy: props.removalPolicy,
      tags: this.tags,
      properties: {
        [P.NAME]: props.skillGroupName,
        [P.DESCRIPTION]: props.description,
        [P.TAGS]: undefined, // rendered with the template, tags from Tags.of included
        [P.ADOPT_EXISTING]: props.adoptExisting || undefined,
      },
    });
    this.skillGroupArn = Token.asString(resource.getAtt(Attributes.ARN));
  }
}
