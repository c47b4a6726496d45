// What `zos --help`, `zos help <command>`, `zos run --help` and
// `zos verify --help` print.

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
  --receipt file         at the end, write a signed receipt of the run: the
                         SHA-256 of each program, commitments to the spawns and
                         console input, to each process's output, exit codes
                         and faults, the limits, the CommitLog's length and
                         head, the SysLog, the final state hash and when; signed
                         with your Ed25519 key, made on first use and kept in
                         ${'$'}ZOS_CONFIG_DIR, ${'$'}XDG_CONFIG_HOME/zos or ~/.config/zos
                         (receipt-key, mode 0600). Check it with zos verify
  --trace file           at the end, write the run as JSON Lines: every commit
                         from Genesis, the SysLog, each process's input and
                         output and outcome (zos verify --trace reads it back)
  --chrome-trace file    at the end, write the run in the Chrome Trace Event
                         format, for https://ui.perfetto.dev or chrome://tracing:
                         a track per process, a slice per system call (blocked
                         time marked), messages as arrows from SEND to RECEIVE
  -h, --help             this text

exit status: 0 every program exited 0 and took all its input; 1 otherwise;
2 a usage error or a refused program (nothing ran); 124 --timeout;
130 interrupted (SIGINT); 141 the reader of the output went away (SIGPIPE);
74 the run ran but its receipt or a trace could not be written;
70 an internal error of zos.

built-in apps: ${BUILTIN_APPS.join(' ')}`;

// "512 MiB" is record/trace.ts's MAX_TRACE_BYTES, written out so that `zos --help`
// loads neither zod nor the kernel (test/cli/verify.test.ts checks they agree).
export const VERIFY_USAGE = `usage: zos verify receipt [--trace trace]
       zos verify --trace trace

Checks what zos run --receipt and --trace wrote, and says what it found in
one line each on stdout, or why it refuses in one line on stderr.

A receipt: its format and version, each field against the digest the
signature covers (a changed field is named), and the Ed25519 signature over
the digests. A valid signature shows which key signed, not that the key is
one you trust: compare its fingerprint with the one zos run printed.

A trace: every line against its schema (a bad line is named), the count in
its end line (a truncated file is told from a whole one), the CommitLog's
hash chain from Genesis, and a replay of it to the state hash it claims (a
changed commit is named by its seq). With a receipt too, every commitment of
the receipt is recomputed from the trace: the programs, spawns and input,
each output and outcome, the limits, the CommitLog's length and head, the
SysLog and the final state hash.

Either file may be "-": standard input.

options:
  --trace file   the run's trace (JSON Lines), up to 512 MiB
  -h, --help     this text

exit status: 0 everything given verified; 1 something was refused;
2 a usage error, or a file that cannot be read (missing, a directory, too
large); 70 an internal error of zos.`;

export const USAGE = `usage: zos <command> [options]

commands:
  run [options] program...   run programs headless (zos run --help)
  verify receipt [--trace trace]
                             check a run's signed receipt and its trace (zos verify --help)
  bench [--quick] [--node-only] [--only part]...
                             the benchmarks, in Node and Chromium (zos bench --help)
  help [run|verify|bench]    this text, or a command's

  -h, --help                 this text
  --version                  zos's version

Set ZOS_DEBUG=1 to see the stack of an internal error.`;

/** Usage for `zos help <topic>`. */
export function usageFor(topic: string | undefined): string {
  if (topic === undefined) return USAGE;
  if (topic === 'run') return RUN_USAGE;
  if (topic === 'verify') return VERIFY_USAGE;
  if (topic === 'bench') return BENCH_USAGE;
  throw new UsageError(`no help on "${topic}": the commands are run, verify and bench`);
}
