// A running system as the page sees it: the supervisor (through which the
// page acts), the kernel's read-only view (through which it looks), the
// programs it can spawn by name, every process's console text, the output
// routing to terminals, and the kernel's debug lines (drained here, the only
// reader of takeDebug in the page).

import type { KernelView } from '../kernel/view.ts';
import type { AppTable } from '../supervisor/apps.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import { ConsoleStore } from './console-store.ts';
import { OutputRouter } from './output-router.ts';

export interface DebugLine {
  time: number; // ns since boot
  pid: number;
  text: string;
}

const DEBUG_KEEP = 2000;
const SHELL_PROMPT = 'zos$ ';

export class Session {
  readonly consoles = new ConsoleStore();
  readonly router: OutputRouter;
  readonly debugLines: DebugLine[] = [];
  readonly startedAt = Date.now();
  /** The IndexedDB id of this boot's record, once persistence has started. */
  bootId: number | null = null;
  /** When the first shell prompt arrived, in ms since the page's time origin (the load). */
  firstPromptMs: number | null = null;

  /** `apps`: the programs spawnable by name, the built-in ones and those a user opened in this session. */
  constructor(readonly sup: Supervisor, readonly apps: AppTable) {
    this.router = new OutputRouter((pid) => sup.view.process(pid)?.requester);
    sup.onConsole('*', (pid, bytes) => {
      const text = this.consoles.append(pid, bytes);
      if (text.length > 0) this.router.route(pid, text);
      if (this.firstPromptMs === null && text.includes(SHELL_PROMPT)) this.firstPromptMs = performance.now();
    });
  }

  /** Everything the page may read of the kernel; it acts only through `sup`. */
  get view(): KernelView {
    return this.sup.view;
  }

  /** ns since boot, the time the kernel is given for acts from the UI. */
  now(): number {
    return this.sup.nowNs();
  }

  /** Moves the kernel's new debug lines into the kept ring. */
  drainDebug(): DebugLine[] {
    const fresh = this.sup.takeDebug();
    if (fresh.length === 0) return fresh;
    this.debugLines.push(...fresh);
    if (this.debugLines.length > DEBUG_KEEP) this.debugLines.splice(0, this.debugLines.length - DEBUG_KEEP);
    return fresh;
  }
}
