// A running system as the page sees it: the supervisor (through which the
// page acts), the kernel's read-only view (through which it looks), the
// programs it can spawn by name, every process's console text, the output
// routing to terminals, and the kernel's debug lines (drained here, the only
// reader of takeDebug in the page).

import type { Commit } from '../kernel/commits.ts';
import type { KernelView } from '../kernel/view.ts';
import type { RunRecord } from '../record/run-record.ts';
import { RunRecorder } from '../record/run-recorder.ts';
import type { AppTable } from '../supervisor/apps.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import { ConsoleStore } from './console-store.ts';
import { OutputRouter } from '../console/output-router.ts';
import { ZOS_VERSION } from './service-worker-client.ts';

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
  /** What ran and what it was given, for Export (a trace, a receipt). */
  private readonly recorder = new RunRecorder(ZOS_VERSION);
  /** The IndexedDB id of this boot's record, once persistence has started. */
  bootId: number | null = null;
  /** When the first shell prompt arrived, in ms since the page's time origin (the load). */
  firstPromptMs: number | null = null;
  /** Settles when the first shell prompt arrives. */
  readonly firstPrompt: Promise<void>;
  private promptSeen = (): void => {};

  /** `apps`: the programs spawnable by name, the built-in ones and those a user opened in this session. */
  constructor(readonly sup: Supervisor, readonly apps: AppTable) {
    this.firstPrompt = new Promise((resolve) => { this.promptSeen = resolve; });
    this.recorder.attach(sup); // before boot: init's spawn is part of the record
    this.router = new OutputRouter((pid) => sup.view.process(pid)?.requester);
    sup.onConsole('*', (pid, bytes) => {
      const text = this.consoles.append(pid, bytes);
      if (text.length > 0) this.router.route(pid, text);
      if (this.firstPromptMs === null && text.includes(SHELL_PROMPT)) {
        this.firstPromptMs = performance.now();
        this.promptSeen();
      }
    });
  }

  /** This boot so far as a run's record; `earlier`: the commits the kernel no longer keeps in memory, from Genesis. */
  runRecord(earlier: readonly Commit[]): RunRecord {
    return this.recorder.snapshot(earlier);
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
