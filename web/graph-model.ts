// The capability graph as plain data, from what a Shown holds: processes
// (compound nodes that hold their capabilities and own their endpoints),
// capabilities with their rights and lease, endpoints, capabilities out of
// every CSpace (in flight in a message, or deleted but kept for what was
// derived from them), edges from each capability to what it names and from
// each to what was derived from it. Node ids are the timeline's NodeKeys,
// so "what the last commit touched" marks nodes directly.
//
// Readable at scale: above AUTO_GROUP_ABOVE capabilities the whole-system
// view groups each process's capabilities into its node, with one edge per
// holder and object carrying the count; filtering by a process shows every
// capability of it and of its neighbourhood.

import * as A from '../kernel/abi.ts';
import { permsString } from '../kernel/names.ts';
import type { CapInfo, EndpointInfo, ProcessInfo } from '../kernel/view.ts';
import { capKey, endpointKey, procKey, type NodeKey } from './log-index.ts';
import type { DetachedCap, Shown } from './state-source.ts';

export type GraphMode = 'caps' | 'grouped';

export interface GraphOptions {
  /** Only this process and what its capabilities connect to; null for all. */
  filterPid: number | null;
  /** 'auto' groups above AUTO_GROUP_ABOVE capabilities. */
  mode: GraphMode | 'auto';
}

export const AUTO_GROUP_ABOVE = 600;

export type NodeKind = 'process' | 'cap' | 'endpoint' | 'detached';
export type EdgeKind = 'names' | 'derived' | 'flight';

export interface GraphNode {
  id: NodeKey;
  parent: NodeKey | null;
  kind: NodeKind;
  label: string;
  classes: string[];
}

export interface GraphEdge {
  id: string;
  source: NodeKey;
  target: NodeKey;
  kind: EdgeKind;
  label: string;
  classes: string[];
}

export interface GraphModel {
  mode: GraphMode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Capabilities in the state (held ones), and how many of them are drawn as their own node. */
  caps: number;
  capsDrawn: number;
}

const secondsLeft = (expires: number, time: number): string => {
  const s = (expires - time) / 1e9;
  return s <= 0 ? 'expiring' : s < 10 ? `${s.toFixed(1)} s left` : `${Math.round(s)} s left`;
};

const capTypeClass = (type: number): string =>
  type === A.OBJ_ENDPOINT ? 'endpoint-cap' : type === A.OBJ_PROCESS ? 'process-cap' : 'other-cap';

/** The node a capability names, if the graph draws that kind of object. */
const objectKey = (type: number, object: number): NodeKey | null =>
  type === A.OBJ_ENDPOINT ? endpointKey(object) : type === A.OBJ_PROCESS ? procKey(object) : null;

export function buildGraph(shown: Shown, opts: GraphOptions): GraphModel {
  const procs = shown.processes();
  const caps = shown.caps();
  const endpoints = shown.endpoints();
  const detached = shown.detached();
  const touched = new Set(shown.touched());
  const mode: GraphMode = opts.mode !== 'auto' ? opts.mode
    : opts.filterPid === null && caps.length > AUTO_GROUP_ABOVE ? 'grouped' : 'caps';
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const ownerOf = new Map(endpoints.map((e) => [e.id, e.owner]));

  // What to draw: everything, or one process's neighbourhood.
  let shownCaps = caps;
  let shownDetached = detached;
  const f = opts.filterPid;
  if (f !== null) {
    const mine = new Set(caps.filter((c) => c.pid === f).map((c) => c.id));
    const parents = new Set(caps.filter((c) => mine.has(c.id)).map((c) => c.parent));
    const connected = (c: { id: number; type: number; object: number; parent: number }): boolean =>
      mine.has(c.id) || mine.has(c.parent) || parents.has(c.id)
      || (c.type === A.OBJ_ENDPOINT && ownerOf.get(c.object) === f) || (c.type === A.OBJ_PROCESS && c.object === f);
    shownCaps = caps.filter(connected);
    shownDetached = detached.filter((d) => connected(d) || d.flight?.fromPid === f
      || (d.flight?.endpoint != null && ownerOf.get(d.flight.endpoint) === f));
  }
  const detachedIds = new Set(shownDetached.map((d) => d.id));
  const capIds = new Set(shownCaps.map((c) => c.id));
  const endpointsShown = endpoints.filter((e) => f === null || e.owner === f
    || shownCaps.some((c) => c.type === A.OBJ_ENDPOINT && c.object === e.id)
    || shownDetached.some((d) => d.flight?.endpoint === e.id));
  const pidsShown = new Set<number>();
  for (const p of procs) if (p.status === 'alive' && p.pid !== A.PID_SUPERVISOR && f === null) pidsShown.add(p.pid);
  if (f !== null && byPid.has(f)) pidsShown.add(f);
  for (const c of shownCaps) {
    pidsShown.add(c.pid);
    if (c.type === A.OBJ_PROCESS && byPid.has(c.object)) pidsShown.add(c.object);
  }
  for (const e of endpointsShown) pidsShown.add(e.owner);

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const mark = (key: NodeKey, classes: string[]): string[] => (touched.has(key) ? [...classes, 'changed'] : classes);
  const pids = [...pidsShown].filter((pid) => byPid.has(pid)).sort((a, b) => a - b);

  if (mode === 'grouped') {
    groupedGraph(shown, pids, shownCaps, shownDetached, caps, endpoints, nodes, edges, touched);
    return { mode, nodes, edges, caps: caps.length, capsDrawn: 0 };
  }
  for (const pid of pids) {
    const p = byPid.get(pid)!;
    // A process is marked when the commit changed it (created, ended), not one of its slots.
    const changed = touched.has(procKey(pid)) && processLevel(shown);
    nodes.push({ id: procKey(pid), parent: null, kind: 'process', label: processLabel(p), classes: ['process', p.status, ...(changed ? ['changed'] : [])] });
  }
  for (const e of endpointsShown) {
    nodes.push({
      id: endpointKey(e.id), parent: pidsShown.has(e.owner) ? procKey(e.owner) : null, kind: 'endpoint',
      label: `ep ${e.id}`, classes: mark(endpointKey(e.id), ['endpoint']),
    });
  }
  for (const c of shownCaps) {
    const lease = c.expires ? `\n${secondsLeft(c.expires, shown.time)}` : '';
    const own = ownEndpoint(c, ownerOf) ? `\nown ep ${c.object}` : '';
    nodes.push({
      id: capKey(c.id), parent: procKey(c.pid), kind: 'cap', label: `slot ${c.slot} ${permsString(c.perms)}${own}${lease}`,
      classes: mark(capKey(c.id), ['cap', capTypeClass(c.type), ...(own ? ['own'] : []), ...(c.expires ? ['leased'] : [])]),
    });
  }
  for (const d of shownDetached) {
    const where = d.flight ? `\nfrom pid ${d.flight.fromPid}${d.flight.endpoint !== null ? ` to ep ${d.flight.endpoint}` : ''}` : '';
    nodes.push({
      id: capKey(d.id), parent: null, kind: 'detached',
      label: `#${d.id} ${permsString(d.perms)} ${d.flight ? 'in flight' : 'deleted'}${where}`,
      classes: mark(capKey(d.id), ['detached', d.flight ? 'inflight' : 'deleted', capTypeClass(d.type)]),
    });
  }
  const drawn = new Set(nodes.map((n) => n.id));
  for (const c of [...shownCaps, ...shownDetached]) {
    const self = capKey(c.id);
    const object = objectKey(c.type, c.object);
    const flight = 'flight' in c ? c.flight : null;
    if (flight && flight.endpoint !== null && drawn.has(endpointKey(flight.endpoint))) {
      edges.push({ id: `f${c.id}`, source: self, target: endpointKey(flight.endpoint), kind: 'flight', label: 'in flight', classes: ['flight'] });
    } else if (object && drawn.has(object) && !('flight' in c) && !ownEndpoint(c, ownerOf)) {
      edges.push({ id: `n${c.id}`, source: self, target: object, kind: 'names', label: '', classes: ['names', capTypeClass(c.type)] });
    }
    if (c.parent && (capIds.has(c.parent) || detachedIds.has(c.parent))) {
      edges.push({ id: `d${c.id}`, source: capKey(c.parent), target: self, kind: 'derived', label: '', classes: ['derived'] });
    }
  }
  return { mode, nodes, edges, caps: caps.length, capsDrawn: shownCaps.length };
}

/**
 * A capability to an endpoint its own process owns: said in its label, not
 * drawn as an edge (every process holds a few; the edges would be most of
 * the drawing, and each costs a redraw).
 */
function ownEndpoint(c: { pid?: number; type: number; object: number }, ownerOf: Map<number, number>): boolean {
  return c.type === A.OBJ_ENDPOINT && c.pid !== undefined && ownerOf.get(c.object) === c.pid;
}

function processLabel(p: ProcessInfo): string {
  return `pid ${p.pid} ${p.name}${p.status === 'alive' ? '' : ` (${p.status})`}`;
}

/** Whether the shown commit changed a process itself (created, ended) rather than one of its slots. */
function processLevel(shown: Shown): boolean {
  return shown.commit().type.startsWith('Process');
}

/**
 * Grouped: one node per process, and one edge per pair of processes: from
 * the holder to the process its capabilities name (an endpoint's owner, or
 * the process itself), with how many and their rights together; from the
 * process a capability was derived in to the one it was derived into.
 */
function groupedGraph(shown: Shown, pids: number[], shownCaps: CapInfo[], shownDetached: DetachedCap[], all: CapInfo[],
  endpoints: EndpointInfo[], nodes: GraphNode[], edges: GraphEdge[], touched: Set<NodeKey>): void {
  const byPid = new Map(shown.processes().map((p) => [p.pid, p]));
  const ownerOf = new Map(endpoints.map((e) => [e.id, e.owner]));
  const capsOfPid = new Map<number, number>();
  for (const c of all) capsOfPid.set(c.pid, (capsOfPid.get(c.pid) ?? 0) + 1);
  const endpointsOfPid = new Map<number, number>();
  for (const e of endpoints) endpointsOfPid.set(e.owner, (endpointsOfPid.get(e.owner) ?? 0) + 1);
  // A process is marked when the commit touched it or anything it holds or owns.
  const holderOf = new Map(all.map((c) => [capKey(c.id), c.pid]));
  const marked = new Set<number>();
  for (const key of touched) {
    const pid = key[0] === 'p' ? Number(key.slice(1)) : key[0] === 'e' ? ownerOf.get(Number(key.slice(1))) : holderOf.get(key);
    if (pid !== undefined) marked.add(pid);
  }
  for (const pid of pids) {
    const p = byPid.get(pid)!;
    const n = capsOfPid.get(pid) ?? 0;
    const eps = endpointsOfPid.get(pid) ?? 0;
    nodes.push({
      id: procKey(pid), parent: null, kind: 'process',
      label: `${processLabel(p)}\n${n} cap${n === 1 ? '' : 's'} · ${eps} endpoint${eps === 1 ? '' : 's'}`,
      classes: ['process', 'group', p.status, ...(marked.has(pid) ? ['changed'] : [])],
    });
  }
  const drawn = new Set(pids);
  const holder = new Map(all.map((c) => [c.id, c.pid]));
  const names = new Map<string, { from: number; to: number; n: number; perms: number; type: number }>();
  const derived = new Map<string, { from: number; to: number; n: number }>();
  for (const c of shownCaps) {
    const to = c.type === A.OBJ_ENDPOINT ? ownerOf.get(c.object) : c.type === A.OBJ_PROCESS ? c.object : undefined;
    if (to !== undefined && to !== c.pid && drawn.has(to)) {
      const e = names.get(`${c.pid}>${to}`) ?? { from: c.pid, to, n: 0, perms: 0, type: c.type };
      e.n++;
      e.perms |= c.perms;
      names.set(`${c.pid}>${to}`, e);
    }
    const from = holder.get(c.parent);
    if (from !== undefined && from !== c.pid && drawn.has(from)) {
      const e = derived.get(`${from}>${c.pid}`) ?? { from, to: c.pid, n: 0 };
      e.n++;
      derived.set(`${from}>${c.pid}`, e);
    }
  }
  for (const [key, e] of names) {
    edges.push({ id: `g${key}`, source: procKey(e.from), target: procKey(e.to), kind: 'names', label: `${e.n}× ${permsString(e.perms)}`, classes: ['names', 'group', capTypeClass(e.type)] });
  }
  for (const [key, e] of derived) {
    edges.push({ id: `h${key}`, source: procKey(e.from), target: procKey(e.to), kind: 'derived', label: `${e.n} derived`, classes: ['derived'] });
  }
  for (const d of shownDetached) {
    if (!d.flight) continue; // a deleted capability only matters drawn capability by capability
    const id = capKey(d.id);
    nodes.push({
      id, parent: null, kind: 'detached', label: `#${d.id} ${permsString(d.perms)} in flight\nfrom pid ${d.flight.fromPid}`,
      classes: ['detached', 'inflight', capTypeClass(d.type), ...(touched.has(id) ? ['changed'] : [])],
    });
    const to = d.flight.endpoint === null ? undefined : ownerOf.get(d.flight.endpoint);
    if (to !== undefined && drawn.has(to)) {
      edges.push({ id: `f${d.id}`, source: id, target: procKey(to), kind: 'flight', label: `to ep ${d.flight.endpoint}`, classes: ['flight'] });
    }
  }
}
