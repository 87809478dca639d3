import {
  CreateSkillGroupCommand, DeleteSkillGroupCommand, GetSkillGroupCommand, UpdateSkillGroupCommand,
} from '@aws-sdk/client-alexa-for-business';
import { SkillGroupProps as P } from '../../contract';
import { ResourceError } from '../cfn';
import { a4b } from './client';
import { forget, NameResolver, remember } from './names';
import { findSkillGroupByName } from '../../runtime/a4b/query';
import { changedFields, isEmptyChange, tagChange } from './plan';
import { PropertyReader, Tag } from '../properties';
import { liveTags, ResourceKind } from './resource';

export interface SkillGroupSpec {
  readonly SkillGroupName: string;
  readonly Description?: string;
  readonly tags: Tag[];
  readonly adoptExisting: boolean;
}

export function readSkillGroup(props: Record<string, unknown>, resource: string): SkillGroupSpec {
  const p = new PropertyReader(props, resource);
  return {
    SkillGroupName: p.requiredString(P.NAME),
    Description: p.string(P.DESCRIPTION),
    tags: p.tags(P.TAGS),
    adoptExisting: p.boolean(P.ADOPT_EXISTING) ?? false,
  };
}

export const skillGroupKind: ResourceKind<SkillGroupSpec> = {
  arnKind: 'skill-group',
  label: 'skill group',
  operations: { create: 'CreateSkillGroup', find: 'SearchSkillGroups', read: 'GetSkillGroup', rename: 'UpdateSkillGroup' },
  read: readSkillGroup,
  name: (spec) => spec.SkillGroupName,
  adoptExisting: (spec) => spec.adoptExisting,

  async create(spec, token, _steps, systemTags) {
    const tags = [...spec.tags, ...systemTags];
    const out = await a4b.send(new CreateSkillGroupCommand({
      SkillGroupName: spec.SkillGroupName, Description: spec.Description, ClientRequestToken: token, Tags: tags.length ? tags : undefined,
    }));
    // Rooms served by this container find it without a search.
    remember('skillGroup', spec.SkillGroupName, out.SkillGroupArn!);
    return out.SkillGroupArn!;
  },

  async afterCreate() {},

  async find(name) {
    return (await findSkillGroupByName(a4b, name))?.SkillGroupArn;
  },

  findExisting(spec, steps) {
    return new NameResolver(steps).existing('skillGroup', spec.SkillGroupName);
  },

  async rename(arn, name) {
    await a4b.send(new UpdateSkillGroupCommand({ SkillGroupArn: arn, SkillGroupName: name }));
    remember('skillGroup', name, arn);
  },

  async readLive(arn) {
    const { SkillGroup } = await a4b.send(new GetSkillGroupCommand({ SkillGroupArn: arn }));
    const tags = await liveTags(arn);
    return { SkillGroupName: SkillGroup!.SkillGroupName!, Description: SkillGroup!.Description, tags: tags, adoptExisting: true };
  },

  async update(arn, before, after, steps, adopting) {
    const fields = changedFields(before, after, ['SkillGroupName', 'Description']);
    if (before.Description !== undefined && after.Description === undefined) {
      delete fields.Description;
      if (!adopting) {
        throw new ResourceError(`skill group '${after.SkillGroupName}': A4B cannot remove a skill group's Description once set: give it a new value instead of removing it`, arn);
      }
    }
    if (Object.keys(fields).length) {
      await steps.run('UpdateSkillGroup', `updated ${Object.keys(fields).join(', ')}`, () => a4b.send(new UpdateSkillGroupCommand({ SkillGroupArn: arn, ...fields })));
      if (fields.SkillGroupName !== undefined) remember('skillGroup', after.SkillGroupName, arn);
    }
    const tags = tagChange(before.tags, after.tags);
    if (!isEmptyChange(tags)) await steps.tags(arn, tags);
  },

  async delete(arn) {
    await a4b.send(new DeleteSkillGroupCommand({ SkillGroupArn: arn }));
    forget('skillGroup', arn);
  },
};
