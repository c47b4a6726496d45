// What `zos run --receipt/--trace/--chrome-trace` writes at the end of a run.
// Where each goes is checked before the run (a directory that is missing is
// found before anything runs, not after); each file is written beside its
// destination and renamed over it, so a failed write leaves no half file and
// an older file of that name stays whole.

import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromeTrace } from '../record/chrome-trace.ts';
import { makeReceipt, type SigningKey } from '../record/receipt.ts';
import type { RunRecord } from '../record/run-record.ts';
import { traceLines } from '../record/trace.ts';
import { keyFingerprint } from './receipt-key.ts';
import { systemError, UserFileError } from './user-file.ts';

export interface RecordFiles {
  receipt?: string;
  trace?: string;
  chromeTrace?: string;
}

/** Refuses, before the run, a destination that is a directory or whose directory does not exist (UserFileError). */
export function checkDestination(path: string, flag: string): void {
  const refuse = (why: string): UserFileError => new UserFileError(`${flag} "${path}": ${why}`);
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw refuse(`"${dir}" is not a directory`);
  } catch (e) {
    if (e instanceof UserFileError) throw e;
    throw refuse(`its directory "${dir}" cannot be used: ${systemError(e as NodeJS.ErrnoException)}`);
  }
  try {
    if (statSync(path).isDirectory()) throw refuse('it is a directory; name a file');
  } catch (e) {
    if (e instanceof UserFileError) throw e;
    // Not there yet: it will be made.
  }
}

/**
 * Writes the files asked for; returns one line for stderr per file written
 * (where it went, what it holds). Throws a UserFileError if one cannot be written.
 */
export function writeRecordFiles(run: RunRecord, files: RecordFiles, key: SigningKey | null): string[] {
  const lines: string[] = [];
  if (files.receipt) {
    if (!key) throw new Error('a receipt needs the signing key');
    const receipt = makeReceipt(run, key);
    writeAtomically(files.receipt, (fd) => writeSync(fd, `${JSON.stringify(receipt, null, 2)}\n`));
    lines.push(`receipt written to ${files.receipt}: ${receipt.programs.length} programs, ${receipt.commitLog.length} commits, `
      + `state hash ${receipt.stateHash.slice(0, 16)}…, signed by key ${keyFingerprint(key.publicKey)}`);
  }
  if (files.trace) {
    writeAtomically(files.trace, (fd) => writeLines(fd, traceLines(run)));
    lines.push(`trace written to ${files.trace}: ${run.commits.length} commits from Genesis, ${run.syslog.length} SysLog events`
      + `${run.syslogTrimmed ? ` (${run.syslogTrimmed} older ones trimmed)` : ''}, the console output of ${run.output.length} processes`);
  }
  if (files.chromeTrace) {
    writeAtomically(files.chromeTrace, (fd) => writeSync(fd, JSON.stringify(chromeTrace(run))));
    lines.push(`Chrome trace written to ${files.chromeTrace}: open it in https://ui.perfetto.dev or chrome://tracing`);
  }
  return lines;
}

/** The lines, each ended by a newline, written in pieces of about a megabyte: a long run's trace is never one string. */
function writeLines(fd: number, lines: Iterable<string>): void {
  let piece: string[] = [];
  let size = 0;
  for (const line of lines) {
    piece.push(line);
    size += line.length;
    if (size >= 1 << 20) {
      writeSync(fd, `${piece.join('\n')}\n`);
      piece = [];
      size = 0;
    }
  }
  if (piece.length) writeSync(fd, `${piece.join('\n')}\n`);
}

function writeAtomically(path: string, write: (fd: number) => void): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w', 0o644);
    try {
      write(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // never made
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    throw new UserFileError(`cannot write "${path}": ${systemError(e as NodeJS.ErrnoException)}`, code);
  }
}
