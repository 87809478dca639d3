// `a4b-rooms validate --json`: the problems of an inventory as a document a pipeline reads.

export interface ValidateProblem {
  readonly file: string;
  /** 1-based; null for a problem of the file as a whole. */
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

export interface ValidateReport {
  readonly version: 1;
  readonly status: 'valid' | 'invalid';
  readonly file: string;
  readonly problems: ValidateProblem[];
}

/**
 * The report of `validateInventory`'s problems, each `FILE:LINE:COL: message` split into its parts. The file is the one
 * given (its name may hold colons, so it is matched as a prefix, not parsed).
 */
export function validateReport(file: string, problems: readonly string[]): ValidateReport {
  return {
    version: 1,
    status: problems.length ? 'invalid' : 'valid',
    file,
    problems: problems.map((p) => {
      const at = p.startsWith(`${file}:`) ? /^(\d+):(\d+): ([\s\S]*)$/.exec(p.slice(file.length + 1)) : null;
      return at ? { file, line: Number(at[1]), column: Number(at[2]), message: at[3] } : { file, line: null, column: null, message: p };
    }),
  };
}
