import { createInterface } from 'node:readline';
import { CliError, EXIT } from './cli-error.js';

export interface PasswordSource {
  /** The value of QINQING_NEW_PASSWORD, for scripts. */
  fromEnv: string | undefined;
  input: NodeJS.ReadStream;
  /** Prompts go to stderr so stdout stays machine-readable. */
  output: NodeJS.WriteStream;
}

/**
 * The new password, from (in order) QINQING_NEW_PASSWORD, the first line of a piped stdin, or a prompt with
 * echo off (asked twice) on a terminal. Never from a command-line flag, where `ps` and shell history keep it.
 */
export async function readNewPassword(source: PasswordSource): Promise<string> {
  let password: string;
  if (source.fromEnv !== undefined && source.fromEnv !== '') password = source.fromEnv;
  else if (!source.input.isTTY) password = await readFirstLine(source.input);
  else {
    password = await promptHidden(source, 'New password: ');
    const again = await promptHidden(source, 'Repeat the password: ');
    if (again !== password) throw new CliError('the two passwords differ; nothing was changed', EXIT.refused);
  }
  if (password === '') throw new CliError('no password given: set QINQING_NEW_PASSWORD, pipe it on stdin, or run on a terminal to be asked', EXIT.usage);
  return password;
}

async function readFirstLine(input: NodeJS.ReadStream): Promise<string> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}

/** Read one line from a terminal in raw mode, echoing nothing. Ctrl-C cancels, Ctrl-D ends the line. */
function promptHidden({ input, output }: PasswordSource, prompt: string): Promise<string> {
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: CliError) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new CliError('cancelled', EXIT.interrupted));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
