// Assembling the cases' processes and grouping cases into batches.
//
// A batch is one boot of zos: one `zos run` in Node, one stretch of the
// single page in the browser. Cases that don't interfere share a batch;
// exclusive ones (timing, floods, global views), CPU-limited ones and those
// with console input get their own or go first. Within a batch each case gets
// its own service name (`cf0`, `cf1`, ...), so the same names come back in
// every batch: init lets a name be registered again once its owner is gone,
// and its registry (64 names) never fills up.

import { assemble } from '../fixtures/wat.ts';
import type { Case, ProcSpec } from './model.ts';
import { program } from './wat.ts';

export interface BuiltProc {
  spec: ProcSpec;
  role: string;
  /** The process name: `<case id>.<role>` (the file's basename in Node). */
  name: string;
  bytes: Uint8Array;
}

export interface BuiltCase {
  case: Case;
  svc: string;
  procs: BuiltProc[];
}

export interface Batch {
  index: number;
  cases: BuiltCase[];
  cpuLimitMs?: number;
  memoryLimitPages?: number;
  timeoutMs: number;
}

const MAX_CASES = 8;
const MAX_PROCS = 12;

async function buildProc(c: Case, spec: ProcSpec, svc: string): Promise<BuiltProc> {
  const name = `${c.id}.${spec.role}`;
  let bytes: Uint8Array;
  if (spec.bytes) bytes = await spec.bytes();
  else if (spec.module) bytes = await assemble(spec.module(svc), `${name}.wat`);
  else if (spec.body) bytes = await assemble(program(spec.body, spec.opts, svc), `${name}.wat`);
  else throw new Error(`${name}: no body, module or bytes`);
  return { spec, role: spec.role, name, bytes };
}

/** Groups the cases into batches and assembles every process (with its batch's service name). */
export async function plan(cases: Case[]): Promise<Batch[]> {
  const groups: Case[][] = [];
  let open: Case[] = [];
  const flush = (): void => {
    if (open.length) groups.push(open);
    open = [];
  };
  for (const c of cases) {
    if (c.exclusive || c.cpuLimitMs || c.memoryLimitPages) {
      groups.push([c]);
      continue;
    }
    const procs = open.reduce((n, x) => n + x.procs.length, 0);
    if (open.length >= MAX_CASES || procs + c.procs.length > MAX_PROCS || (c.input !== undefined && open.length > 0)) flush();
    open.push(c);
  }
  flush();
  const batches: Batch[] = [];
  for (const [index, group] of groups.entries()) {
    const built: BuiltCase[] = [];
    for (const [k, c] of group.entries()) {
      const svc = `cf${k}`;
      built.push({ case: c, svc, procs: await Promise.all(c.procs.map((p) => buildProc(c, p, svc))) });
    }
    batches.push({
      index, cases: built,
      cpuLimitMs: group.find((c) => c.cpuLimitMs)?.cpuLimitMs,
      memoryLimitPages: group.find((c) => c.memoryLimitPages)?.memoryLimitPages,
      timeoutMs: Math.max(20_000, ...group.map((c) => c.timeoutMs ?? 0)),
    });
  }
  return batches;
}
