// The benchmark page's side: the same suite as in Node, on Web Workers, plus
// what only a page has: a terminal to fill and frames to keep.

import { Terminal } from '@xterm/xterm';
import { loadBuiltinApps } from '../supervisor/apps-browser.ts';
import { browserHost } from '../supervisor/host-browser.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import type { FloorStart } from './floor-loop.ts';
import { gaps, summarize } from './stats.ts';
import { runSuite, type Binaries, type BenchRow, type ConsoleSink, type Section } from './suite.ts';
import { runUiBench } from './ui-bench.ts';

declare global {
  interface Window {
    runBench(binaries: Record<string, number[]>, quick: boolean, sections: readonly string[] | null): Promise<BenchRow[]>;
    /** The desktop's time travel and graph rows named (bench/ui-bench.ts); `idle` is the idle program's binary. */
    runUiBench(idle: number[], quick: boolean, rows: readonly string[]): Promise<BenchRow[]>;
    hostCpuPercent(ms: number): Promise<number | null>;
    hostHeapMb(): Promise<number | null>;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function floorWorker(start: FloorStart): Promise<void> {
  const worker = new Worker(new URL('./floor-worker-browser.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve) => {
    worker.onmessage = () => {
      worker.terminate();
      resolve();
    };
    worker.postMessage(start);
  });
}

/** A real xterm.js terminal on the page: a chunk counts once xterm has parsed and drawn it. */
function xtermSink(): ConsoleSink {
  const host = document.createElement('div');
  host.style.cssText = 'width:800px;height:400px';
  document.body.append(host);
  const term = new Terminal({ scrollback: 1000 });
  term.open(host);
  return {
    write: (chunk, written) => term.write(chunk, written),
    dispose() {
      term.dispose();
      host.remove();
    },
    label: 'into xterm.js, until its write callbacks ran',
  };
}

/** Frame gaps on the main thread while 8 processes flood it with syscalls. */
async function frameGaps(binaries: Binaries, seconds: number): Promise<number[]> {
  const sup = new Supervisor({ host: browserHost, apps: await loadBuiltinApps() });
  await sup.boot();
  for (let i = 0; i < 8; i++) sup.spawn(binaries.flood!, { name: `flood${i}` });
  await sleep(300);
  const frames: number[] = [];
  const until = performance.now() + seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = (t: number): void => {
      frames.push(t);
      if (t < until) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  const syscalls = sup.stats.syscalls;
  sup.shutdown();
  console.log(`frame gap run: ${syscalls} syscalls served`);
  return gaps(frames);
}

window.runBench = async (raw, quick, sections) => {
  const binaries: Binaries = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, new Uint8Array(v)]));
  const only = sections ? new Set(sections) : undefined;
  const rows = await runSuite({
    env: 'chromium', host: browserHost, apps: await loadBuiltinApps(), binaries, quick, floorWorker,
    cpuPercent: (ms) => window.hostCpuPercent(ms), heapMb: () => window.hostHeapMb(), log: (line) => console.log(line),
    consoleSink: xtermSink, sections: only as Set<Section> | undefined,
  });
  if (!only || only.has('frames')) {
    const frames = summarize(await frameGaps(binaries, quick ? 2 : 5));
    rows.push({ name: 'frame_gap_p99_ms', env: 'chromium', median: round(frames.median), p99: round(frames.p99), unit: 'ms' });
  }
  return rows;
};

window.runUiBench = async (idle, quick, rows) => runUiBench({
  host: browserHost, apps: await loadBuiltinApps(), idle: new Uint8Array(idle), quick, log: (line) => console.log(line),
}, (name) => rows.includes(name));

const round = (n: number): number => Math.round(n * 100) / 100;
document.body.dataset.ready = 'true';
