// Benchmarks of the desktop's time travel and capability graph, in the
// benchmark page (Chromium), on a real supervisor whose kernel made every
// commit through its own handlers (capability acts on processes' behalf,
// as the inspector makes them):
//
//   timetravel_jump_ms  jumps to random commits of a 100,000-commit log: the
//                       state source's goTo (History: nearest checkpoint,
//                       then at most 1,000 commits applied) and everything
//                       the panels read there (processes, capabilities,
//                       endpoints, the state hash)
//   graph_update_ms     one commit applied to the Graph panel showing 500
//                       capabilities, each drawn: the model rebuilt, the
//                       drawing diffed, the canvas redrawn

import * as A from '../kernel/abi.ts';
import type { AppSource } from '../supervisor/apps.ts';
import type { WorkerHost } from '../supervisor/host.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { GraphPanel } from '../web/graph-panel.ts';
import { StateSource } from '../web/state-source.ts';
import { summarize } from './stats.ts';
import type { BenchRow } from './suite.ts';

export interface UiBenchEnv {
  host: WorkerHost;
  apps: AppSource;
  idle: Uint8Array;
  quick: boolean;
  log(line: string): void;
}

const round = (n: number): number => Math.round(n * 100) / 100;
const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

/** A deterministic pseudo-random source (the same log every run). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

async function withIdle<T>(b: UiBenchEnv, processes: number, body: (sup: Supervisor, pids: number[]) => Promise<T>): Promise<T> {
  const sup = new Supervisor({ host: b.host, apps: b.apps, kernel: { syslogCapacity: 200_000 } });
  await sup.boot();
  try {
    const pids = Array.from({ length: processes }, (_, i) => sup.spawn(b.idle, { name: `idle${i}` }));
    return await body(sup, pids);
  } finally {
    sup.shutdown();
  }
}

/**
 * Capability acts until the log has `commits` commits: derives and grants
 * (up to about `capsPerProcess` in each process), deletes, and now and then
 * a revoke that takes a whole subtree.
 */
function churn(sup: Supervisor, pids: number[], commits: number, capsPerProcess: number, rnd: () => number): void {
  const held = (pid: number): number[] => sup.view.caps(pid).map((c) => c.slot).filter((s) => s > 2);
  while (sup.view.commitCount() < commits) {
    const pid = pids[Math.floor(rnd() * pids.length)]!;
    const mine = held(pid);
    const r = rnd();
    if (r < 0.02 && mine.length) sup.actFor(pid, A.SYS_CAP_REVOKE, mine[Math.floor(rnd() * mine.length)]!);
    else if (mine.length < capsPerProcess && r < 0.6) sup.actFor(pid, A.SYS_CAP_DERIVE, mine.length && rnd() < 0.7 ? mine[Math.floor(rnd() * mine.length)]! : 0, A.PERM_ALL);
    else if (mine.length < capsPerProcess && r < 0.75) sup.actFor(pid, A.SYS_CAP_GRANT, 0, pids[Math.floor(rnd() * pids.length)]!, A.PERM_READ | A.PERM_WRITE);
    else if (mine.length) sup.actFor(pid, A.SYS_CAP_DELETE, mine[Math.floor(rnd() * mine.length)]!);
  }
}

async function timeTravel(b: UiBenchEnv): Promise<BenchRow> {
  const commits = 100_000;
  const jumps = b.quick ? 50 : 300;
  return withIdle(b, 24, async (sup, pids) => {
    const t0 = performance.now();
    churn(sup, pids, commits, 40, random(7));
    const made = performance.now() - t0;
    const source = new StateSource(sup.view, () => sup.nowNs());
    const t1 = performance.now();
    const timeline = source.liveTimeline();
    source.goTo(timeline.last); // the first jump past the last checkpoint indexes the whole log
    const indexed = performance.now() - t1;
    const rnd = random(11);
    const samples: number[] = [];
    let caps = 0;
    for (let i = 0; i < jumps; i++) {
      const seq = timeline.first + Math.floor(rnd() * (timeline.last - timeline.first + 1));
      const t = performance.now();
      const shown = source.goTo(seq);
      caps += shown.caps().length;
      shown.processes();
      shown.endpoints();
      shown.stateHash();
      samples.push(performance.now() - t);
      if (i % 20 === 19) await frame(); // as a user steps: the page gets to draw in between
    }
    const { median, p99 } = summarize(samples);
    b.log(`chromium timetravel_jump_ms: median ${round(median)}, p99 ${round(p99)} (log of ${timeline.last + 1} commits made in ${Math.round(made)} ms; first index ${Math.round(indexed)} ms; ${Math.round(caps / jumps)} capabilities per state on average)`);
    return {
      name: 'timetravel_jump_ms', env: 'chromium', median: round(median), p99: round(p99), unit: 'ms',
      note: `${jumps} jumps to random commits of a ${timeline.last + 1}-commit log, ${Math.round(caps / jumps)} capabilities per state on average; the state and all the panels read; indexing the log once first: ${Math.round(indexed)} ms`,
    };
  });
}

async function graphUpdate(b: UiBenchEnv): Promise<BenchRow> {
  const updates = b.quick ? 40 : 200;
  return withIdle(b, 20, async (sup, pids) => {
    const rnd = random(3);
    // Every capability drawn: 500 of them (below the panel's grouping threshold).
    let i = 0;
    while (sup.view.caps().length < 500) sup.actFor(pids[i++ % pids.length]!, A.SYS_CAP_DERIVE, 0, A.PERM_ALL);
    const source = new StateSource(sup.view, () => sup.nowNs());
    const panel = new GraphPanel(source);
    const host = document.createElement('div');
    host.style.cssText = 'position:fixed;left:0;top:0;width:900px;height:700px';
    host.append(panel.element);
    document.body.append(host);
    try {
      const view = await panel.ready();
      panel.update();
      await frame();
      if (panel.model?.mode !== 'caps' || (panel.model?.capsDrawn ?? 0) < 500) throw new Error(`the graph does not draw 500 capabilities: ${panel.model?.capsDrawn} (${panel.model?.mode})`);
      const t = performance.now();
      view.layout(false);
      const relayout = performance.now() - t;
      await frame();
      const samples: number[] = [];
      for (let n = 0; n < updates; n++) {
        // One commit: a derive, or a delete of a derived capability, in turn (the graph stays at about 500).
        const pid = pids[Math.floor(rnd() * pids.length)]!;
        const extra = sup.view.caps(pid).filter((c) => c.slot > 2);
        const before = sup.view.commitCount();
        if (n % 2 === 0 || extra.length === 0) sup.actFor(pid, A.SYS_CAP_DERIVE, 0, A.PERM_READ);
        else sup.actFor(pid, A.SYS_CAP_DELETE, extra[Math.floor(rnd() * extra.length)]!.slot);
        if (sup.view.commitCount() !== before + 1) throw new Error('an act made no commit');
        const t0 = performance.now();
        panel.update();
        view.renderNow();
        samples.push(performance.now() - t0);
        await frame();
      }
      const { median, p99 } = summarize(samples);
      b.log(`chromium graph_update_ms: median ${round(median)}, p99 ${round(p99)} (re-layout of the whole graph ${Math.round(relayout)} ms)`);
      return {
        name: 'graph_update_ms', env: 'chromium', median: round(median), p99: round(p99), unit: 'ms',
        note: `${updates} commits, each applied to the Graph panel drawing ${panel.model.capsDrawn} capabilities (model, diff, redraw); the re-layout that follows a change once it stops, separately: ${Math.round(relayout)} ms`,
      };
    } finally {
      host.remove();
    }
  });
}

export async function runUiBench(b: UiBenchEnv, only: (name: string) => boolean): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  if (only('timetravel_jump_ms')) rows.push(await timeTravel(b));
  if (only('graph_update_ms')) rows.push(await graphUpdate(b));
  return rows;
}
