// Collects every problem of one construct's props at synth, each naming the construct, the field, the bad
// value and what is allowed. Unresolved tokens are skipped: their values are only known at deploy.
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
