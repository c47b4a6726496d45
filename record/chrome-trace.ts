// A run in the Chrome Trace Event format, so it opens in Perfetto or
// chrome://tracing: one track (thread) per process, each syscall a slice
// from its request to its response with its arguments and result (a blocked
// RECEIVE, CALL or SLEEP is a long slice, marked "blocked"), and each
// message a flow arrow from the SEND (or CALL, SEND_CAP, kernel notice) that
// queued it to the RECEIVE that took it.
//
// Which RECEIVE took which message: messages are FIFO per endpoint, so the
// n-th message queued to an endpoint is the n-th one its owner received from
// it. Which endpoint a RECEIVE used comes from replaying the commits up to
// that request (the slot it named held a capability to it then).

import * as A from '../kernel/abi.ts';
import type { SysRequest, SysResponse } from '../kernel/axiom.ts';
import { resultText, syscallName } from '../kernel/names.ts';
import { KernelState } from '../kernel/state.ts';
import type { RunRecord } from './run-record.ts';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: number;
  bp?: string;
  args?: Record<string, unknown>;
}

const ZOS = 1; // the one trace "process"; zos processes are its threads
const BLOCKING = new Set([A.SYS_RECEIVE, A.SYS_CALL, A.SYS_SLEEP]);
const us = (ns: number): number => ns / 1000;

export function chromeTrace(run: RunRecord): { traceEvents: TraceEvent[]; displayTimeUnit: string } {
  const events: TraceEvent[] = [{ name: 'process_name', ph: 'M', pid: ZOS, tid: 0, args: { name: 'zos' } }];
  const names = new Map<number, string>();
  for (const c of run.commits) if (c.type === 'ProcessCreated') names.set(c.fields.pid, c.fields.name);
  for (const [pid, name] of names) {
    events.push({ name: 'thread_name', ph: 'M', pid: ZOS, tid: pid, args: { name: `${pid} ${name}` } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid: ZOS, tid: pid, args: { sort_index: pid } });
  }
  const responses = new Map<number, SysResponse>();
  for (const e of run.syslog) if (e.kind === 'response') responses.set(e.request_id, e);
  for (const e of run.syslog) {
    if (e.kind !== 'request') continue;
    const answer = responses.get(e.id);
    const dur = answer ? Math.max(0, us(answer.time - e.time)) : 0;
    const blocked = BLOCKING.has(e.num) && dur > 0;
    events.push({
      name: syscallName(e.num), ph: 'X', pid: ZOS, tid: e.pid, ts: us(e.time), dur, cat: blocked ? 'syscall,blocked' : 'syscall',
      args: {
        a0: e.args[0], a1: e.args[1], a2: e.args[2], request: e.id,
        result: answer ? `${answer.result} (${resultText(e.num, answer.result)})` : 'no answer (still waiting)',
        ...(e.by !== undefined ? { by: e.by } : {}),
        ...(blocked ? { blocked_us: dur } : {}),
      },
    });
  }
  events.push(...messageFlows(run, responses));
  return { traceEvents: events, displayTimeUnit: 'ms' };
}

/** Flow arrows from where each message was queued to the RECEIVE that took it. */
function messageFlows(run: RunRecord, responses: Map<number, SysResponse>): TraceEvent[] {
  const requests = new Map<number, SysRequest>();
  for (const e of run.syslog) if (e.kind === 'request') requests.set(e.id, e);
  const queued = new Map<number, { at: number; pid: number; id: number }[]>(); // endpoint → FIFO of sends
  const receivesOn = new Map<number, number>(); // RECEIVE request id → endpoint, resolved at its request
  const state = new KernelState();
  const flows: TraceEvent[] = [];
  let seq = 0;
  let flowId = 1;
  const applyUpTo = (requestId: number): void => {
    while (seq < run.commits.length) {
      const c = run.commits[seq]!;
      if (c.caused_by !== null && c.caused_by >= requestId) return;
      state.apply(c);
      seq++;
      if (c.type !== 'MessageSent') continue;
      const sender = c.caused_by !== null ? requests.get(c.caused_by) : undefined;
      const list = queued.get(c.fields.to_endpoint) ?? [];
      list.push({ at: sender ? us(sender.time) : us(c.time), pid: sender?.pid ?? c.fields.from_pid, id: flowId++ });
      queued.set(c.fields.to_endpoint, list);
    }
  };
  const ordered = [...run.syslog].sort((a, b) => a.id - b.id);
  for (const e of ordered) {
    if (e.kind === 'request') {
      applyUpTo(e.id);
      if (e.num === A.SYS_RECEIVE) {
        const cap = state.procs.get(e.pid)?.cspace.get(e.args[0]);
        if (cap?.type === A.OBJ_ENDPOINT) receivesOn.set(e.id, cap.object);
      }
      continue;
    }
    applyUpTo(e.id); // a direct delivery's MessageSent comes before the receiver's wake
    const endpoint = receivesOn.get(e.request_id);
    if (endpoint === undefined || e.result <= 0 || responses.get(e.request_id) !== e) continue;
    const sent = queued.get(endpoint)?.shift();
    const receiver = requests.get(e.request_id)!;
    if (!sent) continue;
    flows.push({ name: 'message', cat: 'message', ph: 's', id: sent.id, pid: ZOS, tid: sent.pid, ts: sent.at });
    flows.push({ name: 'message', cat: 'message', ph: 'f', bp: 'e', id: sent.id, pid: ZOS, tid: receiver.pid, ts: us(e.time) });
  }
  return flows;
}
