// CPU used by a browser and all its child processes, read from /proc: the
// page cannot see its own workers' CPU, the operating system can.

import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime, in ticks, of `root` and every process below it. */
function treeTicks(root: number): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised name: state ppid ... utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += t;
        break;
      }
    }
  }
  return total;
}

/** % of one core used by the browser's process tree over `ms`; null off Linux. */
export async function chromiumCpuPercent(browserPid: number, ms: number): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  const before = treeTicks(browserPid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const used = (treeTicks(browserPid) - before) / TICKS_PER_SECOND;
  return (used / ((performance.now() - t0) / 1000)) * 100;
}
