// What a run leaves behind, as plain data: the programs that ran, what they
// were given, the logs, what each process printed and how it ended. A trace
// file (trace.ts) writes it out and reads it back; a receipt (receipt.ts)
// commits to it and is signed.

import type { SysLogEntry } from '../kernel/axiom.ts';
import type { Commit } from '../kernel/commits.ts';

export interface ProgramRecord {
  pid: number;
  name: string;
  /** SHA-256 (hex) of the binary, as given to the supervisor. */
  sha256: string;
}

export interface SpawnRecord {
  /** The program's name or file, as the user gave it. */
  name: string;
  /** Anything else the spawn was given (limits, the requester), as JSON-able data. */
  options: Record<string, unknown>;
}

export interface InputRecord {
  pid: number;
  text: string;
}

export interface OutcomeRecord {
  pid: number;
  name: string;
  exitCode: number | null;
  fault: string | null;
}

export interface RunRecord {
  /** zos's version (package.json). */
  zos: string;
  /** When the run ended, ms since the Unix epoch (from the host, not the kernel). */
  endedAt: number;
  /** The limits in force: memory, CPU, the kernel's bounds. */
  limits: Record<string, number>;
  spawns: SpawnRecord[];
  programs: ProgramRecord[];
  input: InputRecord[];
  /** Every commit from Genesis, in order. */
  commits: Commit[];
  /** The SysLog events kept (the ring may have trimmed older ones: `syslogTrimmed`). */
  syslog: SysLogEntry[];
  syslogTrimmed: number;
  /** Each process's console output, whole. */
  output: { pid: number; text: string }[];
  outcomes: OutcomeRecord[];
  /** The live kernel's state hash at the end, which replay must reproduce. */
  stateHash: string;
}
