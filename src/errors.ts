/**
 * The one error family of cnisim. Every error has a code; only the CLI turns codes into exit codes.
 *   - `input`    bad input (scenario file, CLI flag, CIDR text): exit 2
 *   - `limit`    a run that would exceed a resource limit: exit 2 (the message names the flag to change)
 *   - `internal` a broken invariant or a bug: exit 1
 *   - `interrupted` SIGINT/SIGTERM during a run: exit 130/143 (the CLI knows which signal)
 * Running out of addresses is never an error: allocators return a refusal with a cause.
 */
export type ErrorCode = 'input' | 'limit' | 'internal' | 'interrupted';

/** One problem found while validating input: where (a path like `nodePools[1].maxPods`) and what. */
export interface Problem {
  path: string;
  message: string;
}

export class CnisimError extends Error {
  readonly code: ErrorCode;
  /** Every problem found, when the error reports several at once (validation). */
  readonly problems: readonly Problem[];
  /** The file the problem was found in, when there is one. */
  readonly file: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { problems?: Problem[]; file?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CnisimError';
    this.code = code;
    this.problems = opts.problems ?? [];
    this.file = opts.file;
  }
}

/** Bad input: `what` names the value or field, `expected` says what would be right. */
export function inputError(message: string, opts: { problems?: Problem[]; file?: string; cause?: unknown } = {}): CnisimError {
  return new CnisimError('input', message, opts);
}

export function internalError(message: string, cause?: unknown): CnisimError {
  return new CnisimError('internal', message, { cause });
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof CnisimError) return err.code === 'internal' ? 1 : err.code === 'interrupted' ? 130 : 2;
  return 1;
}
