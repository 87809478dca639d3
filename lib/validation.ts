// Collects every problem of one construct's props at synth, each naming the construct, the field, the bad
// value and what is allowed. Unresolved tokens are skipped: their values are only known at deploy.
//
// Every construct of the library reports its props' problems at synth (node.addValidation), not by throwing in its
// constructor as many aws-cdk-lib constructs do for values known there: one synth then lists every problem of every
// room, profile, skill group and calendar link of the app, as `a4b-rooms validate` lists every problem of a file,
// and tags that Tags.of adds later are checked with the rest. Only what makes a construct impossible to build throws
// at once (a second calendar link or provider in a stack, an import with neither ARN nor name, file and inventory both).
import { Token } from 'aws-cdk-lib';
import { enumProblem, IntegerRule, integerProblem, showValue, StringRule, stringProblem } from './constraints';
import { isSystemTag } from './contract';

export class PropsProblems {
  readonly problems: string[] = [];

  /** @param what e.g. `room 'Board Room' (Stack/Rooms/BoardRoom)` */
  constructor(private readonly what: string) {}

  string(field: string, value: string | undefined, rule: StringRule): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    return this.add(field, value, stringProblem(rule, value));
  }

  integer(field: string, value: number | undefined, rule: IntegerRule): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    return this.add(field, value, integerProblem(rule, value));
  }

  oneOf(field: string, value: string | undefined, allowed: readonly string[]): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    return this.add(field, value, enumProblem(allowed, value));
  }

  check(field: string, value: unknown, ok: boolean, must: string): this {
    if (typeof value === 'string' && Token.isUnresolved(value)) return this;
    return this.add(field, value, ok ? undefined : must);
  }

  add(field: string, value: unknown, problem: string | undefined): this {
    if (problem) this.problems.push(`${this.what}: ${field} ${showValue(value)} ${problem}`);
    return this;
  }
}

/** Tags as A4B takes them: key 1-128, value 0-256, a restricted character set, no `aws:` system tags. */
export function checkTags(problems: PropsProblems, tags: Record<string, string>, rules: { key: StringRule; value: StringRule }): void {
  for (const [key, value] of Object.entries(tags)) {
    problems.string(`tag key`, key, rules.key);
    problems.string(`tag '${key}' value`, value, rules.value);
    problems.check('tag key', key, Token.isUnresolved(key) || !isSystemTag(key), 'must not start with aws: or cdk-a4b-rooms: (system tags are reserved)');
  }
}
