import type { FieldIssue } from '@qinqing/contracts';
import { appeals } from './cli/appeals-command.js';
import { CliError, EXIT, type ExitCode } from './cli/cli-error.js';
import { type CliContext, type Command, FLAG_OF_FIELD, audit, backup, createUser, demo, migrate, resetPassword, restore } from './cli/commands.js';
import { ConfigError } from './config.js';
import { MigrationError } from './db/migrate.js';
import { BackupError } from './platform/backup.js';
import { AppError } from './platform/errors.js';
import { type Locale, translate, translatePhrase } from './platform/messages.js';

const USAGE = `Usage: qinqing <command> [options]     (npm run qinqing -- <command>)

Commands:
  migrate                       bring the database schema up to date
  create-user --username U --display-name N --role R [--role R2 …]
              [--organisation-id ID] [--phone P]
                                create an account; it must change its password at first sign-in
  reset-password --username U   set a temporary password; it must be changed at next sign-in
  audit verify                  check the audit trail's hash chain
  appeals sweep                 催办 / 通报 overdue appeals now (the server does it hourly)
  backup <file>                 write a consistent backup (the server may keep running)
  restore <file> --yes          replace all data with a backup (stop the server first)
  demo [--enterprises N] [--managers M]
                                load the demo town of 崇福镇 (default 929 enterprises, managers
                                in proportion) into an empty database, e.g. for benchmarks
  help                          show this text

The database is DATABASE_URL (default ./data/qinqing.db; postgres://… for PostgreSQL).
New passwords come from QINQING_NEW_PASSWORD, else the first line of stdin, else a prompt.

Exit codes: 0 done; 1 refused (password policy, 三员 separation, unknown user, audit chain broken,
  demo into a database that is not empty);
  2 wrong command line; 3 invalid configuration; 4 failed (database, migration, backup tools); 130 cancelled.`;

const commands: Record<string, Command> = {
  migrate,
  'create-user': createUser,
  'reset-password': resetPassword,
  audit,
  appeals,
  backup,
  restore,
  demo,
};

/** Run one command; every outcome, error or not, becomes an exit code and a message without a stack trace. */
async function runCli(argv: string[], ctx: CliContext): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    ctx.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const command = name ? commands[name] : undefined;
  if (!command) {
    ctx.stderr.write(`${name ? `qinqing: unknown command "${name}"\n\n` : ''}${USAGE}\n`);
    return EXIT.usage;
  }
  try {
    return await command(rest, ctx);
  } catch (error) {
    const { message, exitCode } = describeFailure(error, ctx.locale);
    ctx.stderr.write(`qinqing ${name}: ${message}\n`);
    return exitCode;
  }
}

function describeFailure(error: unknown, locale: Locale): { message: string; exitCode: ExitCode } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof ConfigError) return { message: error.message, exitCode: EXIT.config };
  if (error instanceof AppError) return { message: describeAppError(error, locale), exitCode: EXIT.refused };
  if (error instanceof MigrationError || error instanceof BackupError) return { message: error.message, exitCode: EXIT.failed };
  // node:util parseArgs: unknown option, missing value …
  if (isParseArgsError(error)) return { message: `${error.message}\nRun "qinqing help" for usage.`, exitCode: EXIT.usage };
  return { message: messageOf(error), exitCode: EXIT.failed };
}

function describeAppError(error: AppError, locale: Locale): string {
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details)) {
    return (error.details as FieldIssue[])
      .map((issue) => `${FLAG_OF_FIELD[issue.field] ?? issue.field}: ${translatePhrase(issue.message, locale, (issue as { params?: Record<string, number> }).params)}`)
      .join('\n');
  }
  const params = Object.fromEntries(
    Object.entries(error.params).map(([key, value]) => [key, key === 'reason' && typeof value === 'string' ? translatePhrase(value, locale, error.params) : value]),
  );
  return translate(error.code, locale, params);
}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS');
}

/** pg reports "connection refused" as an AggregateError with an empty message; name its parts instead. */
function messageOf(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return error.message || String((error as NodeJS.ErrnoException).code ?? error.name);
  return String(error);
}

/** CLI messages follow the terminal's language: Chinese under a zh locale, English otherwise. */
function localeOf(env: Record<string, string | undefined>): Locale {
  const lang = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

const exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  locale: localeOf(process.env),
});
// Exit at once: a paused stdin or an idle pool must not keep a finished command alive.
process.exit(exitCode);
