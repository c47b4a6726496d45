// What `zos --help`, `zos help <command>` and `zos run --help` print.

import { BENCH_USAGE } from '../bench/usage.ts';
import { BUILTIN_APPS } from '../supervisor/apps.ts';
import { MAX_MEMORY_LIMIT_BYTES, MAX_TIMER_MS, MIN_MEMORY_LIMIT_BYTES } from './run-options.ts';
import { UsageError } from './usage-error.ts';

export const RUN_USAGE = `usage: zos run [options] program...

Boots zos (init, the permission service), spawns each program in order and
ends when all of them have ended. A program is a built-in app's name or a
path to a .wasm file. Their console output, and that of the programs they
start, goes to stdout.

Standard input goes to the first program. From a terminal: through a line
editor (Enter sends the line; Ctrl+C sends "\\x03", on which the shell kills
its foreground program; Ctrl+D on an empty line ends the input). From a pipe
or a file: line by line. At the end of the input the program gets "\\x04"
(EOT), as a terminal sends for Ctrl+D: the shell exits on it. /dev/null is
not read. Input the program ends without taking is reported.

options:
  --input text           console input for the first program before standard
                         input, one CONSOLE_INPUT message each; repeatable
  --timeout ms           kill everything after ms milliseconds and exit 124;
                         1..${MAX_TIMER_MS} (24.8 days), 0 = no timeout (the default)
  --memory-limit bytes   each process's memory limit, ${MIN_MEMORY_LIMIT_BYTES}..${MAX_MEMORY_LIMIT_BYTES} (4 GiB),
                         rounded down to whole 64 KiB pages; default 16 MiB
  --cpu-limit ms         stop a process that runs this long without a system
                         call; 1..${MAX_TIMER_MS}, 0 = never (the default)
  --dispatch mode        atomics (the default) or poll10, the 10 ms polling
                         loop the benchmarks compare against
  --json                 print one JSON summary on stdout (processes, logs,
                         chain and replay checks); console output goes to stderr
  -h, --help             this text

exit status: 0 every program exited 0 and took all its input; 1 otherwise;
2 a usage error or a refused program (nothing ran); 124 --timeout;
130 interrupted (SIGINT); 141 the reader of the output went away (SIGPIPE);
70 an internal error of zos.

built-in apps: ${BUILTIN_APPS.join(' ')}`;

export const USAGE = `usage: zos <command> [options]

commands:
  run [options] program...   run programs headless (zos run --help)
  bench [--quick] [--node-only] [--only part]...
                             the benchmarks, in Node and Chromium (zos bench --help)
  help [run|bench]           this text, or a command's

  -h, --help                 this text
  --version                  zos's version

Set ZOS_DEBUG=1 to see the stack of an internal error.`;

/** Usage for `zos help <topic>`. */
export function usageFor(topic: string | undefined): string {
  if (topic === undefined) return USAGE;
  if (topic === 'run') return RUN_USAGE;
  if (topic === 'bench') return BENCH_USAGE;
  throw new UsageError(`no help on "${topic}": the commands are run and bench`);
}
