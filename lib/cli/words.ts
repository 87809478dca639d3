// Words the CLI prints.

/** A count with its noun in the right number: `1 room`, `2 rooms`, `0 rooms`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
