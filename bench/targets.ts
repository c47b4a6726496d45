// The targets of docs/performance.md, and the table that checks each result
// against them. Ratios (vs the floor, vs poll10) are computed within one run.

import type { BenchRow } from './suite.ts';

type Check = (value: number, rows: BenchRow[], env: string) => { target: string; met: boolean | null };

const find = (rows: BenchRow[], name: string, env: string): BenchRow | undefined =>
  rows.find((r) => r.name === name && r.env === env);

const atMost = (limit: number, unit: string): Check => (v) => ({ target: `≤ ${limit} ${unit}`, met: v <= limit });
const atLeast = (limit: number, unit: string): Check => (v) => ({ target: `≥ ${limit} ${unit}`, met: v >= limit });

/** Each target of the issue, on the median unless the name says p99. */
export const TARGETS: Record<string, Check> = {
  null_syscall_rtt_us: (v, rows, env) => {
    const floor = find(rows, 'floor_rtt_us', env)?.median;
    const poll = find(rows, 'poll10_null_syscall_rtt_us', env)?.median;
    if (floor === undefined || poll === undefined) return { target: '≤ 2× floor, ≥ 100× faster than poll10', met: null };
    return {
      target: `≤ 2× floor (${(v / floor).toFixed(1)}×), ≥ 100× poll10 (${(poll / v).toFixed(0)}×)`,
      met: v <= 2 * floor && poll / v >= 100,
    };
  },
  ipc_call_rtt_us: (v, rows, env) => ipcTarget(v, rows, env),
  ipc_send_recv_rtt_us: (v, rows, env) => ipcTarget(v, rows, env),
  msg_throughput_per_s: (v, _rows, env) => atLeast(env === 'node' ? 250_000 : 150_000, 'msgs/s')(v, _rows, env),
  spawn_cached_ms: atMost(5, 'ms'),
  boot_to_prompt_ms: (v, rows, env) => {
    const p99 = find(rows, 'boot_to_prompt_ms', env)?.p99 ?? NaN;
    return { target: '≤ 200 ms, p99 ≤ 300 ms', met: v <= 200 && p99 <= 300 };
  },
  editor_first_compile_ms: atMost(3000, 'ms'),
  editor_recompile_ms: atMost(500, 'ms'),
  idle_cpu_pct_32: (v) => ({ target: '< 2 %', met: v < 2 }),
  yield_idle_cpu_pct_32: (v) => ({ target: '< 2 %', met: v < 2 }),
  yield_wake_us: (_v, rows, env) => {
    const p99 = find(rows, 'yield_wake_us', env)?.p99 ?? NaN;
    return { target: 'p99 ≤ 1000 us', met: p99 <= 1000 };
  },
  page_idle_cpu_pct: atMost(0.5, '%'),
  long_run_heap_mb: atMost(32, 'MB'),
  verify_tail_ms: atMost(200, 'ms'),
  trace_export_ms: atMost(1000, 'ms'),
  trace_import_ms: atMost(1000, 'ms'),
  console_4mb_ms: atMost(2000, 'ms'),
  console_bytes_lost: (v) => ({ target: '0', met: v === 0 }),
  timetravel_jump_ms: (_v, rows) => {
    const r = find(rows, 'timetravel_jump_ms', 'chromium');
    return r ? { target: `≤ 50 ms (median and p99)`, met: r.median <= 50 && r.p99 <= 50 } : { target: '≤ 50 ms', met: null };
  },
  graph_update_ms: atMost(16, 'ms'),
  frame_gap_p99_ms: (_v, rows) => {
    const p99 = find(rows, 'frame_gap_p99_ms', 'chromium')?.p99 ?? NaN;
    return { target: 'p99 ≤ 50 ms', met: p99 <= 50 };
  },
};

/** An IPC round trip against the sleeping-endpoint floor of the same run (and, for scale, the spinning floor). */
function ipcTarget(v: number, rows: BenchRow[], env: string): { target: string; met: boolean | null } {
  const ipcFloor = find(rows, 'ipc_floor_us', env)?.median;
  const floor = find(rows, 'floor_rtt_us', env)?.median;
  if (ipcFloor === undefined) return { target: '≤ 1.25× ipc floor', met: null };
  const spin = floor === undefined ? '' : `; ${(v / floor).toFixed(0)}× the spinning floor`;
  return { target: `≤ 1.25× ipc floor (${(v / ipcFloor).toFixed(2)}×${spin})`, met: v <= 1.25 * ipcFloor };
}

const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2));

export function renderTable(rows: BenchRow[]): string {
  const lines = ['| figure | env | median | p99 | unit | target | met |', '|---|---|---:|---:|---|---|---|'];
  for (const r of rows) {
    const check = TARGETS[r.name]?.(r.median, rows, r.env);
    const met = check ? (check.met === null ? '—' : check.met ? 'yes' : '**no**') : '';
    lines.push(`| ${r.name} | ${r.env} | ${fmt(r.median)} | ${fmt(r.p99)} | ${r.unit} | ${check?.target ?? ''}${r.note ? ` (${r.note})` : ''} | ${met} |`);
  }
  return lines.join('\n');
}
