// Traces: a run written out as JSON Lines, and read back.
//
// One JSON object per line, each with a `kind`: the header first (the format
// version, the limits, the counts, the final state hash), then the spawns,
// programs, input, every commit from Genesis, the SysLog events kept, each
// process's output and outcome, and an `end` line that counts the lines, so
// a truncated file is told from a whole one. Lines are readable by people,
// by `jq`, and by tools and agents that read a stream.
//
// Reading checks every line with a zod schema, then the commit chain, then
// replays it: the trace's state hash must come out of its own commits.

import { z } from 'zod';
import { replay } from '../kernel/replay.ts';
import { commitRecord, count, describeIssue, hex64, int, sysRequestRecord, sysResponseRecord, type RecordShape } from './log-schemas.ts';
import type { RunRecord } from './run-record.ts';

export const TRACE_KIND = 'zos-trace';
export const TRACE_VERSION = 1;
/** Larger files are refused before they are parsed. */
export const MAX_TRACE_BYTES = 512 * 1024 * 1024;

const text = z.string();
const header = z.object({
  kind: z.literal(TRACE_KIND), version: int, zos: text, endedAt: z.number(), limits: z.record(text, z.number()),
  commits: count, syslog: count, syslogTrimmed: count, stateHash: hex64,
});
const lineSchemas = {
  spawn: z.object({ kind: z.literal('spawn'), name: text, options: z.record(text, z.unknown()) }),
  program: z.object({ kind: z.literal('program'), pid: count, name: text, sha256: hex64 }),
  input: z.object({ kind: z.literal('input'), pid: count, text }),
  output: z.object({ kind: z.literal('output'), pid: count, text }),
  outcome: z.object({ kind: z.literal('outcome'), pid: count, name: text, exitCode: int.nullable(), fault: text.nullable() }),
  end: z.object({ kind: z.literal('end'), lines: count }),
} as const;

/** The run as trace lines, without newlines (join them with "\n"). */
export function* traceLines(run: RunRecord): Generator<string> {
  let n = 0;
  const line = (value: object): string => {
    n++;
    return JSON.stringify(value);
  };
  yield line({
    kind: TRACE_KIND, version: TRACE_VERSION, zos: run.zos, endedAt: run.endedAt, limits: run.limits,
    commits: run.commits.length, syslog: run.syslog.length, syslogTrimmed: run.syslogTrimmed, stateHash: run.stateHash,
  });
  for (const s of run.spawns) yield line({ kind: 'spawn', ...s });
  for (const p of run.programs) yield line({ kind: 'program', ...p });
  for (const i of run.input) yield line({ kind: 'input', ...i });
  // The two kinds of line there are 100,000s of, written without copying each record into a new object first.
  for (const c of run.commits) {
    n++;
    yield `{"kind":"commit",${JSON.stringify(c).slice(1)}`;
  }
  for (const e of run.syslog) {
    yield line(e.kind === 'request'
      ? { kind: 'syslog-request', id: e.id, pid: e.pid, time: e.time, num: e.num, args: e.args, by: e.by }
      : { kind: 'syslog-response', id: e.id, request_id: e.request_id, time: e.time, result: e.result });
  }
  for (const o of run.output) yield line({ kind: 'output', ...o });
  for (const o of run.outcomes) yield line({ kind: 'outcome', ...o });
  yield JSON.stringify({ kind: 'end', lines: n + 1 });
}

/** The whole trace file. */
export function traceText(run: RunRecord): string {
  return `${[...traceLines(run)].join('\n')}\n`;
}

export class TraceError extends Error {
  override readonly name = 'TraceError';
  constructor(message: string, readonly line?: number, readonly seq?: number) {
    super(message);
  }
}

export interface ParsedTrace extends RunRecord {
  /** The chain verified and the replay gave `stateHash`. */
  verified: true;
}

/**
 * Reads a trace file: every line checked, the chain verified, the state
 * replayed. Throws a TraceError naming the line (or the commit) at fault.
 */
export function readTrace(file: string, maxBytes = MAX_TRACE_BYTES): ParsedTrace {
  if (file.length > maxBytes) {
    throw new TraceError(`the file is ${file.length} bytes; a trace may have at most ${maxBytes}`);
  }
  const lines = file.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new TraceError('the file is empty: not a zos trace');
  const parse = (i: number): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(lines[i]!);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new TraceError(`line ${i + 1} is not a JSON object`, i + 1);
  };
  const first = parse(0);
  if (first.kind !== TRACE_KIND) throw new TraceError('line 1 is not a zos trace header (kind "zos-trace")', 1);
  if (first.version !== TRACE_VERSION) {
    throw new TraceError(`the trace is version ${String(first.version)}; this zos reads version ${TRACE_VERSION}`, 1);
  }
  const h = check(header, first, 1);
  const run: RunRecord = {
    zos: h.zos, endedAt: h.endedAt, limits: h.limits, spawns: [], programs: [], input: [], commits: [], syslog: [],
    syslogTrimmed: h.syslogTrimmed, output: [], outcomes: [], stateHash: h.stateHash,
  };
  let ended = false;
  for (let i = 1; i < lines.length; i++) {
    if (ended) throw new TraceError(`line ${i + 1} comes after the end line`, i + 1);
    const v = parse(i);
    const kind = v.kind;
    // A schema's output is a new object of its own keys only: `kind` of a commit line is left behind,
    // and a SysLog line's is its SysLog kind (set on the line just parsed, which nothing else holds).
    switch (kind) {
      case 'commit': run.commits.push(readRecord(commitRecord, v, i + 1)); break;
      case 'syslog-request': v.kind = 'request'; run.syslog.push(readRecord(sysRequestRecord, v, i + 1)); break;
      case 'syslog-response': v.kind = 'response'; run.syslog.push(readRecord(sysResponseRecord, v, i + 1)); break;
      case 'spawn': run.spawns.push(strip(check(lineSchemas.spawn, v, i + 1))); break;
      case 'program': run.programs.push(strip(check(lineSchemas.program, v, i + 1))); break;
      case 'input': run.input.push(strip(check(lineSchemas.input, v, i + 1))); break;
      case 'output': run.output.push(strip(check(lineSchemas.output, v, i + 1))); break;
      case 'outcome': run.outcomes.push(strip(check(lineSchemas.outcome, v, i + 1))); break;
      case 'end':
        if (check(lineSchemas.end, v, i + 1).lines !== lines.length) {
          throw new TraceError(`the end line counts ${String(v.lines)} lines, the file has ${lines.length}`, i + 1);
        }
        ended = true;
        break;
      default: throw new TraceError(`line ${i + 1} has an unknown kind ${JSON.stringify(kind)}`, i + 1);
    }
  }
  if (!ended) throw new TraceError(`the trace is truncated: it ends at line ${lines.length} without its end line`);
  if (run.commits.length !== h.commits) {
    throw new TraceError(`the header counts ${h.commits} commits, the trace has ${run.commits.length}`, 1);
  }
  if (run.syslog.length !== h.syslog) {
    throw new TraceError(`the header counts ${h.syslog} SysLog events, the trace has ${run.syslog.length}`, 1);
  }
  const r = replay(run.commits); // checks the chain at every commit as it applies it
  if (!r.ok) throw new TraceError(`commit ${r.badSeq}: ${r.reason}`, undefined, r.badSeq);
  if (r.stateHash !== run.stateHash) {
    throw new TraceError(`replaying the commits gives state ${r.stateHash.slice(0, 16)}…, the header says ${run.stateHash.slice(0, 16)}…`, 1);
  }
  return { ...run, verified: true };
}

/** A commit or SysLog line: the quick check, and the schema for the reason when it refuses. */
function readRecord<T>(shape: RecordShape<T>, value: Record<string, unknown>, line: number): T {
  const r = shape.parse(value);
  if (!r.success) throw new TraceError(`line ${line}: ${describeIssue(r.error)}`, line);
  return r.data;
}

function check<T extends z.ZodType>(schema: T, value: unknown, line: number): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new TraceError(`line ${line}: ${describeIssue(r.error)}`, line);
  return r.data;
}

function strip<T extends { kind: string }>(v: T): Omit<T, 'kind'> {
  const { kind, ...rest } = v;
  void kind;
  return rest;
}
