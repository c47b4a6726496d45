// The `zos` command (bin/zos.mjs): `zos run`, `zos verify`, `zos bench`, help
// and version.
// A user's mistake is one line on stderr and exit status 2; anything else
// that goes wrong is an internal error: one line, exit status 70, and the
// stack only when ZOS_DEBUG is set.

import { ValidationError } from '../supervisor/validate.ts';
import { UserFileError } from './user-file.ts';
import { UsageError } from './usage-error.ts';
import { usageFor } from './usage.ts';
import { zosVersion } from './version.ts';

const EXIT_USAGE = 2;
const EXIT_INTERNAL = 70; // EX_SOFTWARE (sysexits.h)
const EXIT_BROKEN_PIPE = 128 + 13; // as a shell reports a process that SIGPIPE ended

export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'run': return await (await import('./run.ts')).run(rest);
      case 'verify': return await (await import('./verify.ts')).verify(rest);
      case 'bench': return await (await import('../bench/run.ts')).main(rest);
      case 'help': return help(rest);
      case '-h': case '--help': return help([]);
      case '--version': return print(`zos ${zosVersion()}`);
      case undefined: throw new UsageError('no command: try zos run hello');
      default: throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    return report(e);
  }
}

/**
 * Installs the last line of defence: an error nobody awaited is still one
 * line, not a stack. Output whose reader has gone (`zos run ... | head -1`)
 * ends zos quietly, with the status a SIGPIPE gives.
 */
export function reportUncaught(): void {
  const fail = (e: unknown): void => {
    process.exitCode = (e as NodeJS.ErrnoException).code === 'EPIPE' ? EXIT_BROKEN_PIPE : report(e);
    process.exit();
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}

function help(topics: string[]): number {
  if (topics.length > 1) throw new UsageError(`help takes one command, got ${topics.length}`);
  return print(usageFor(topics[0]));
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

function report(e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`zos: ${e.message} (zos ${e.command ? `${e.command} ` : ''}--help for usage)\n`);
    return EXIT_USAGE;
  }
  if (e instanceof ValidationError || e instanceof UserFileError) {
    process.stderr.write(`zos: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const error = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(process.env.ZOS_DEBUG
    ? `zos: internal error: ${error.stack ?? error.message}\n`
    : `zos: internal error: ${error.message.split('\n')[0]} (set ZOS_DEBUG=1 to see the stack)\n`);
  return EXIT_INTERNAL;
}
