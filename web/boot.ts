// Boot: fetch the programs, start the supervisor (PID 0, init = PID 1, which
// asks for the permission service = PID 2), and tell the story in the boot
// log as it happens.

import * as A from '../kernel/abi.ts';
import { loadBuiltinApps } from '../supervisor/apps-browser.ts';
import type { AppTable } from '../supervisor/apps.ts';
import { browserHost } from '../supervisor/host-browser.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { shortHash } from './dom.ts';
import { Session } from './session.ts';

export type BootLog = (text: string) => void;

const dim = (s: string): string => `\x1b[90m${s}\x1b[0m`;
const label = (s: string): string => `\x1b[36m${s.padEnd(11)}\x1b[0m`;
const ms = (ns: number): string => dim(`[${(ns / 1e6).toFixed(1).padStart(7)} ms]`);

let early: { apps: Promise<AppTable>; since: number } | undefined;

/**
 * Starts what boot waits on longest, the programs' download and the first
 * worker threads, as soon as the page knows it can run: before the desktop
 * is built, not after.
 */
export function startBootEarly(): void {
  if (early) return;
  browserHost.prewarm?.();
  early = { apps: loadBuiltinApps(), since: performance.now() };
}

export async function bootSystem(log: BootLog): Promise<Session> {
  log(`\x1b[1;38;5;79mzos\x1b[0m ${dim('— a capability microkernel, simulated in this page')}`);
  const t0 = performance.now();
  startBootEarly();
  const apps = await early!.apps;
  log(`${dim('[ programs ]')} ${apps.names().length} WASM programs fetched ${dim(`in ${(performance.now() - early!.since).toFixed(0)} ms`)}`);
  const sup = new Supervisor({ host: browserHost, apps });
  const session = new Session(sup, apps); // listens to consoles before anything runs
  await sup.boot();
  // The story of the boot, from the CommitLog and the debug log, in time order.
  const events: { time: number; text: string }[] = [];
  const commits = sup.view.commits();
  const genesis = commits[0]!;
  events.push({ time: genesis.time, text: `${label('kernel')} genesis commit ${shortHash(genesis.hash)}` });
  for (const c of commits) {
    if (c.type !== 'ProcessCreated') continue;
    const pid = Number(c.fields.pid);
    const what = pid === A.PID_SUPERVISOR ? 'not a process: speaks for the kernel in the logs'
      : pid === A.PID_INIT ? 'service registry; holds the init endpoint (id 1)'
        : pid === A.PID_PERMISSION ? 'the permission service' : '';
    events.push({ time: c.time, text: `${label(`pid ${pid}`)} ${String(c.fields.name).padEnd(11)} ${dim(what)}` });
  }
  for (const d of session.drainDebug()) events.push({ time: d.time, text: `${label(`pid ${d.pid} debug`)} ${d.text}` });
  events.sort((a, b) => a.time - b.time);
  for (const e of events) log(`${ms(e.time)} ${e.text}`);
  const check = sup.view.verify();
  log(`${ms(sup.nowNs())} ${label('axiom')} ${sup.view.commitCount()} commits, chain ${check.ok ? '\x1b[32mok\x1b[0m' : '\x1b[31mBROKEN\x1b[0m'}, state ${shortHash(sup.view.stateHash())}`);
  log(dim(`booted in ${(performance.now() - t0).toFixed(0)} ms; starting a shell.`));
  log('');
  return session;
}
