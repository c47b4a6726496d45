// `zos run`'s command line: the flags (node:util parseArgs), each number
// checked against what the layer below accepts, so that a value out of range
// is a usage error here rather than a crash, or a silent misbehaviour, later.

import { parseArgs } from 'node:util';
import { PAGE_SIZE } from '../kernel/abi.ts';
import type { DispatchMode } from '../supervisor/supervisor.ts';
import { MAX_MEMORY32_PAGES } from '../supervisor/validate.ts';
import type { RecordFiles } from './record-files.ts';
import { UsageError } from './usage-error.ts';

/**
 * The longest delay setTimeout keeps: Node (and browsers) store it in a
 * signed 32-bit integer and fire after 1 ms instead of anything longer. A
 * longer --timeout is refused rather than chained: 24.8 days is past any
 * headless run, and a refusal cannot hide a bug in the chaining.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** The largest memory a 32-bit WebAssembly module can have: 65536 pages, 4 GiB. */
export const MAX_MEMORY_LIMIT_BYTES = MAX_MEMORY32_PAGES * PAGE_SIZE;
export const MIN_MEMORY_LIMIT_BYTES = PAGE_SIZE;

export interface RunOptions {
  help: boolean;
  /** Built-in app names or .wasm paths, in spawn order. */
  programs: string[];
  inputs: string[];
  json: boolean;
  /** 0: none. */
  timeoutMs: number;
  memoryLimitPages: number | undefined;
  /** 0: none; undefined: the supervisor's default. */
  cpuLimitMs: number | undefined;
  dispatch: DispatchMode;
  /** Where to write the run's signed receipt, its trace and its Chrome trace at the end (cli/record-files.ts). */
  files: RecordFiles;
}

export function parseRunOptions(argv: string[]): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true, options: {
        timeout: { type: 'string' }, input: { type: 'string', multiple: true }, json: { type: 'boolean' },
        'memory-limit': { type: 'string' }, 'cpu-limit': { type: 'string' }, dispatch: { type: 'string' },
        receipt: { type: 'string' }, trace: { type: 'string' }, 'chrome-trace': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'run');
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  if (!help && positionals.length === 0) throw new UsageError('run needs at least one program: a built-in app\'s name or a .wasm file', 'run');
  const dispatch = values.dispatch ?? 'atomics';
  if (dispatch !== 'atomics' && dispatch !== 'poll10') throw new UsageError(`--dispatch is atomics or poll10, not "${dispatch}"`, 'run');
  const memoryBytes = wholeNumber('memory-limit', 'bytes', values['memory-limit'], MIN_MEMORY_LIMIT_BYTES, MAX_MEMORY_LIMIT_BYTES,
    'a process memory is at least one 64 KiB page and at most 4 GiB, the most a 32-bit WebAssembly memory can address');
  return {
    help, programs: positionals, inputs: values.input ?? [], json: values.json === true, dispatch,
    timeoutMs: wholeNumber('timeout', 'ms', values.timeout, 0, MAX_TIMER_MS, TIMER_LIMIT) ?? 0,
    memoryLimitPages: memoryBytes === undefined ? undefined : Math.floor(memoryBytes / PAGE_SIZE),
    cpuLimitMs: wholeNumber('cpu-limit', 'ms', values['cpu-limit'], 0, MAX_TIMER_MS, TIMER_LIMIT),
    files: recordFiles({ receipt: values.receipt, trace: values.trace, chromeTrace: values['chrome-trace'] }),
  };
}

const FLAGS: Record<keyof RecordFiles, string> = { receipt: 'receipt', trace: 'trace', chromeTrace: 'chrome-trace' };

/** The files a run writes at its end, each named once. */
function recordFiles(files: RecordFiles): RecordFiles {
  const given = Object.entries(files).filter(([, path]) => path !== undefined) as [keyof RecordFiles, string][];
  for (const [flag, path] of given) {
    if (path === '') throw new UsageError(`--${FLAGS[flag]} needs a file name`, 'run');
    const other = given.find(([f, p]) => f !== flag && p === path);
    if (other) throw new UsageError(`--${FLAGS[flag]} and --${FLAGS[other[0]]} name the same file "${path}"`, 'run');
  }
  return Object.fromEntries(given);
}

const TIMER_LIMIT = `the longest a timer can wait is ${MAX_TIMER_MS} ms (24.8 days); 0 means none`;

function wholeNumber(flag: string, unit: string, text: string | undefined, min: number, max: number, why: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} takes a whole number of ${unit}, got "${text}"`, 'run');
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`--${flag} ${text} is out of range ${min}..${max}: ${why}`, 'run');
  return n;
}
