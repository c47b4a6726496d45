// The capability graph as data (web/graph-model.ts), from real kernel
// states: nodes and edges of every kind, the mark on what the shown commit
// touched, the filter, and grouping by process.

import { describe, expect, it } from 'vitest';
import { AUTO_GROUP_ABOVE, buildGraph, type GraphModel } from '../../web/graph-model.ts';
import { StateSource } from '../../web/state-source.ts';
import { A, boot, res, sendCapData } from '../kernel/helpers.ts';

const node = (m: GraphModel, id: string) => m.nodes.find((n) => n.id === id);
const edge = (m: GraphModel, source: string, target: string) => m.edges.find((e) => e.source === source && e.target === target);

describe('buildGraph', () => {
  it('draws processes holding capabilities, endpoints, derivations, names, and marks what the last commit touched', () => {
    const { k, pids: [a, b] } = boot(2);
    const slot = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    const own = k.view.caps(a!).find((c) => c.slot === 0)!;
    const copy = k.view.caps(b!).find((c) => c.slot === slot)!;
    const m = buildGraph(new StateSource(k.view, () => 0).current, { filterPid: null, mode: 'auto' });
    expect(m.mode).toBe('caps');
    expect(node(m, `p${a}`)).toMatchObject({ kind: 'process', parent: null, label: `pid ${a} p${a}` });
    expect(node(m, `e${own.object}`)).toMatchObject({ kind: 'endpoint', parent: `p${a}` });
    expect(node(m, `c${own.id}`)).toMatchObject({ parent: `p${a}`, label: `slot 0 rwg\nown ep ${own.object}` });
    expect(node(m, `c${copy.id}`)).toMatchObject({ parent: `p${b}`, label: `slot ${slot} -w-` });
    expect(edge(m, `c${own.id}`, `c${copy.id}`)?.kind).toBe('derived');
    expect(edge(m, `c${copy.id}`, `e${own.object}`)?.kind).toBe('names');
    expect(edge(m, `c${own.id}`, `e${own.object}`)).toBeUndefined(); // its own endpoint: in the label
    expect(m.nodes.filter((n) => n.classes.includes('changed')).map((n) => n.id).sort()).toEqual([`c${copy.id}`, `c${own.id}`].sort());
    expect(m.capsDrawn).toBe(k.view.caps().length);
  });

  it('draws a capability in flight with an edge to the endpoint it travels to, and a deleted one kept for its children', () => {
    const { k, pids: [a, b] } = boot(2);
    const w = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE | A.PERM_GRANT);
    const mid = res(k, b!, A.SYS_CAP_DERIVE, 1, A.PERM_READ | A.PERM_GRANT);
    res(k, b!, A.SYS_CAP_DERIVE, mid, A.PERM_READ);
    const midId = k.view.caps(b!).find((c) => c.slot === mid)!.id;
    res(k, b!, A.SYS_CAP_DELETE, mid); // something derived from it is still held: a tombstone
    const moved = res(k, b!, A.SYS_CAP_DERIVE, 1, A.PERM_READ);
    const movedId = k.view.caps(b!).find((c) => c.slot === moved)!.id;
    const { data, a2 } = sendCapData('x', [moved]);
    res(k, b!, A.SYS_SEND_CAP, w, 9, a2, data);
    const endpoint = k.view.caps(a!).find((c) => c.slot === 0)!.object;
    const m = buildGraph(new StateSource(k.view, () => 0).current, { filterPid: null, mode: 'caps' });
    expect(node(m, `c${movedId}`)).toMatchObject({ kind: 'detached', parent: null, label: `#${movedId} r-- in flight\nfrom pid ${b} to ep ${endpoint}` });
    expect(node(m, `c${movedId}`)!.classes).toContain('inflight');
    expect(edge(m, `c${movedId}`, `e${endpoint}`)?.kind).toBe('flight');
    expect(node(m, `c${midId}`)).toMatchObject({ kind: 'detached', label: `#${midId} r-g deleted` });
    expect(m.edges.some((e) => e.source === `c${midId}` && e.kind === 'derived')).toBe(true);
  });

  it('filters one process: its capabilities and what they connect to', () => {
    const { k, pids: [a, b, c] } = boot(3);
    const slot = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    const m = buildGraph(new StateSource(k.view, () => 0).current, { filterPid: b!, mode: 'auto' });
    const ids = m.nodes.map((n) => n.id);
    for (const cap of k.view.caps(b!)) expect(ids).toContain(`c${cap.id}`);
    expect(ids).toContain(`c${k.view.caps(a!).find((x) => x.slot === 0)!.id}`); // what b's copy came from
    expect(ids).not.toContain(`p${c}`);
    expect(ids).not.toContain(`c${k.view.caps(a!).find((x) => x.slot === 1)!.id}`);
    expect(slot).toBeGreaterThan(2);
  });

  it('groups by process above the threshold: one node per process, one edge per pair with the count', () => {
    const { k, pids } = boot(12);
    for (let i = 0; k.view.caps().length <= AUTO_GROUP_ABOVE; i++) res(k, pids[i % pids.length]!, A.SYS_CAP_DERIVE, 0, A.PERM_READ);
    const m = buildGraph(new StateSource(k.view, () => 0).current, { filterPid: null, mode: 'auto' });
    expect(m.mode).toBe('grouped');
    expect(m.nodes.every((n) => n.kind === 'process')).toBe(true);
    const p = pids[0]!;
    const n = k.view.caps(p).length;
    expect(node(m, `p${p}`)!.label).toBe(`pid ${p} p${p}\n${n} caps · 2 endpoints`);
    // Everyone's slot 2 names init's endpoint, and was derived from init's slot 0.
    expect(edge(m, `p${p}`, `p${A.PID_INIT}`)).toMatchObject({ kind: 'names', label: '1× -w-' });
    expect(edge(m, `p${A.PID_INIT}`, `p${p}`)).toMatchObject({ kind: 'derived', label: '1 derived' });
    // The last commit was a derive in some process: that process is marked.
    expect(m.nodes.filter((x) => x.classes.includes('changed'))).toHaveLength(1);
  });
});
