/** Exit codes of the `qinqing` CLI; scripts and monitoring may rely on them. */
export const EXIT = {
  ok: 0,
  /** A rule said no: weak password, 三员 separation, unknown or taken username, audit chain broken. */
  refused: 1,
  /** Wrong command line: unknown command or option, missing or malformed value. */
  usage: 2,
  /** The environment is invalid (ConfigError). */
  config: 3,
  /** The operation could not run: database unreachable, migration failed, pg_dump failed, damaged backup. */
  failed: 4,
  /** Cancelled with Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports as one line and an exit code, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
