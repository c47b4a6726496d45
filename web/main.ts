// The desktop's entry point (index.html loads it). Checks that the page can
// run zos at all, builds the desktop, boots, and installs `window.zos`.

import './styles.css';
import { startBootEarly } from './boot.ts';
import { Desktop } from './desktop.ts';
import { checkIsolation, renderIsolationMessage } from './isolation-check.ts';
import { createPageApi, installPageApi, type ZosPageApi } from './page-api.ts';

async function main(): Promise<void> {
  const root = document.getElementById('app') ?? document.body;
  const problem = await checkIsolation();
  if (problem) {
    renderIsolationMessage(root, problem);
    installPageApi(unavailableApi(`zos cannot run: the page is not cross-origin isolated (missing: ${problem.missing.join(', ') || 'isolation'})`));
    return;
  }
  startBootEarly();
  const desktop = new Desktop(root);
  installPageApi(createPageApi(desktop));
}

/** What `window.zos` is when the system cannot run: every call explains why. */
function unavailableApi(reason: string): ZosPageApi {
  const fail = (): never => { throw new Error(reason); };
  const ready = Promise.reject(new Error(reason));
  ready.catch(() => {});
  return {
    ready, booted: false, bootId: null, timings: { promptMs: null },
    boot: () => ready, spawn: () => ready as Promise<never>, processes: fail, caps: fail, endpoints: fail, consoleText: fail, sendInput: fail,
    kill: fail, waitForExit: () => ready as Promise<never>, syslog: fail, commits: fail, verify: fail, stateHash: fail,
    terminals: () => [], openTerminal: () => ready as Promise<never>, screenText: fail, terminalView: fail, flush: () => ready,
    boots: () => ready as Promise<never>, showPanel: fail, actFor: fail,
    timeline: { shown: fail, goTo: fail, step: fail, live: fail, openBoot: () => ready as Promise<never>, diff: fail },
    graph: { open: () => ready, nodes: fail, edges: fail, box: fail, filter: fail, mode: fail },
  };
}

void main();
