// `window.zos`: the page's scripting API, for tests (Playwright's
// page.evaluate) and for poking at the system from the devtools console.
// docs/web.md documents every member.

import type { Commit } from '../kernel/commits.ts';
import type { SysLogEntry } from '../kernel/axiom.ts';
import type { CapInfo, EndpointInfo, ProcessInfo } from '../kernel/view.ts';
import type { SpawnOptions } from '../supervisor/supervisor.ts';
import type { BootReport } from './boot-verify.ts';
import type { Desktop } from './desktop.ts';
import type { EditorOpen } from './editor-panel.ts';
import type { EditorSnapshot, RunOutcome } from './editor/editor-pane.ts';
import type { SiteStatus, SiteWorker } from './service-worker-client.ts';
import type { Session } from './session.ts';
import type { PanelName } from './side-panels.ts';
import type { TerminalWindow } from './terminal-window.ts';
import type { Shown } from './state-source.ts';
import type { StateDiff } from './timeline.ts';
import { verifyLive, type LiveVerification } from './verify-live.ts';

export interface TerminalInfo {
  id: number;
  pid: number | null; // null only for the boot window before its shell starts
  /** `terminal` for a shell, else the name of the program opened in the tab. */
  program: string;
  ended: boolean;
  active: boolean;
}

/** What a terminal shows, for tests: its size, where its cursor is, its scroll position and selection. */
export interface TerminalView {
  cols: number;
  rows: number;
  /** The buffer line at the top of the bottom page (where output goes); lines above it are scrollback. */
  baseY: number;
  /** The buffer line at the top of what is scrolled into view now. */
  viewportY: number;
  /** The cursor: its buffer line, column, and the text of the cell under it ('' for an empty cell or the right half of a wide character). */
  cursor: { line: number; col: number; cell: string };
  /** The selected text ('' when nothing is selected). */
  selection: string;
}

export interface ZosPageApi {
  /** Resolves once the system has booted, the first terminal's shell is started and the side panels are there. */
  readonly ready: Promise<void>;
  /** True once booted. */
  readonly booted: boolean;
  /** Load of the page → the first shell prompt on screen, in ms (null until then): the boot benchmark's figure. */
  readonly timings: { promptMs: number | null };
  /** This boot's IndexedDB id (null until saving has started, or without IndexedDB). */
  readonly bootId: number | null;
  /** Boots if not booted yet (the page boots itself on load); resolves when booted. */
  boot(): Promise<void>;
  /** Spawns a built-in program by name, or a WASM binary; parent is PID 0. Rejects with the validation error. */
  spawn(nameOrBytes: string | Uint8Array, opts?: SpawnOptions): Promise<number>;
  /** The kernel's process table, PID 0 included. */
  processes(): ProcessInfo[];
  /** Capabilities (all, or one process's): pid, slot, id, type, object, perms, parent cap id. */
  caps(pid?: number): CapInfo[];
  /** Endpoints with owner, queue depth and holders. */
  endpoints(): EndpointInfo[];
  /** All console output of `pid` so far (the last 1 Mi characters), decoded as UTF-8. */
  consoleText(pid: number): string;
  /** Sends text as CONSOLE_INPUT to `pid`'s slot 1 (include "\n" to end a line); returns the kernel status (0 = E_OK). */
  sendInput(pid: number, text: string): number;
  /** Kills a live process; false if it was not alive. */
  kill(pid: number): boolean;
  /** Resolves with the process's final info when it ends; rejects after `timeoutMs` (default 10 s). */
  waitForExit(pid: number, timeoutMs?: number): Promise<ProcessInfo>;
  /** The newest `n` SysLog events (default 100), oldest first. */
  syslog(n?: number): SysLogEntry[];
  /** The newest `n` commits (default 100), oldest first. */
  commits(n?: number): Commit[];
  /** How many commits there have been, and the seq of the oldest one still in memory (older ones were saved to IndexedDB and dropped). */
  commitLog(): { count: number; firstKept: number };
  /** Verifies the CommitLog chain and that its replay reproduces the live state hash. */
  verify(): LiveVerification;
  /** SHA-256 of the live kernel state. */
  stateHash(): string;
  /** The open terminals, in tab order. */
  terminals(): TerminalInfo[];
  /** Opens a terminal tab with a new shell; resolves with the shell's PID. */
  openTerminal(): Promise<number>;
  /** The text in a terminal's xterm buffer (the active terminal when `id` is omitted). */
  screenText(id?: number): string;
  /** A terminal's size, cursor, scroll position and selection (the active terminal when `id` is omitted). */
  terminalView(id?: number): TerminalView;
  /** Saves the logs to IndexedDB now (they are saved every 500 ms anyway). */
  flush(): Promise<void>;
  /** The verification reports of the previous boots kept in IndexedDB, newest first. */
  boots(): Promise<BootReport[]>;
  /** Shows a side panel. */
  showPanel(name: PanelName): void;
  /** A capability syscall (GRANT, DERIVE, REVOKE, DELETE) on `pid`'s behalf, as the inspector makes it: the kernel's own handler and checks, logged with by 0. Returns the result in the syscall's shape. */
  actFor(pid: number, num: number, a0: number, a1?: number, a2?: number): number;
  /** The timeline: every panel at any commit. */
  timeline: TimelineApi;
  /** The capability graph. */
  graph: GraphApi;
  /** The copy of zos this page runs: its version and build, whether the service worker stores it for offline use, a waiting update. */
  site(): SiteStatus;
  /** Opens the editor with a template (by id) or `{source, language?, name?}`, as a new program (the labs' exercises). */
  openInEditor(what: EditorOpen): Promise<void>;
  /** The editor, for scripts and tests; each call loads it if it is not loaded yet. */
  readonly editor: ZosEditorApi;
}

export interface ZosEditorApi {
  /** Compiles the editor's program and runs it in a new terminal tab; rejects with the compiler's errors or the validator's refusal. */
  run(): Promise<RunOutcome>;
  /** The program shown, what the compiler said last, and the status line. */
  state(): Promise<EditorSnapshot>;
  /** Replaces the program's text, as typing would (it is kept). */
  setSource(source: string): Promise<void>;
  /** A link that carries the program (`#program=...`). */
  shareLink(): Promise<string>;
}

/** What the panels show: live, or the state just after commit `seq` (of a saved boot when `boot` is set). */
export interface ShownInfo {
  live: boolean;
  boot: number | null;
  seq: number;
  /** The commits the timeline can show: first to last. */
  first: number;
  last: number;
  /** SHA-256 of the state shown. */
  stateHash: string;
}

/** A node or edge as the Graph panel draws it. */
export interface GraphElementInfo {
  id: string;
  kind: string;
  label: string;
  classes: string[];
  parent?: string;
  source?: string;
  target?: string;
}

export interface TimelineApi {
  shown(): ShownInfo;
  /** Shows every panel at commit `seq` of the log being looked at (this boot's, or the saved boot opened). */
  goTo(seq: number): ShownInfo;
  /** Moves `delta` commits, within the log. */
  step(delta: number): ShownInfo;
  /** Back to the live system. */
  live(): ShownInfo;
  /** Opens saved boot `id` on the timeline (read from IndexedDB, verified, replayed), at its newest commit. */
  openBoot(id: number): Promise<ShownInfo>;
  /** Opens a trace's text (a `zos run --trace` or Export file) read-only at its newest commit; rejects with the reason it cannot. */
  openTrace(text: string, name?: string): Promise<ShownInfo>;
  diff(from: number, to: number): StateDiff;
}

export interface GraphApi {
  /** Shows the Graph panel and resolves once its library is loaded and it has drawn. */
  open(): Promise<void>;
  nodes(): GraphElementInfo[];
  edges(): GraphElementInfo[];
  /** Where node `id` is drawn on the page: its box and a point that picks it when clicked; null when it is not drawn or out of view. */
  box(id: string): { x: number; y: number; width: number; height: number; click: { x: number; y: number } } | null;
  /** Shows only one process's neighbourhood (null: all). */
  filter(pid: number | null): void;
  /** 'caps' (each capability drawn) or 'grouped' (by process). */
  mode(): string;
}

declare global {
  interface Window {
    zos: ZosPageApi;
  }
}

export function createPageApi(desktop: Desktop, site: SiteWorker): ZosPageApi {
  const ready = desktop.boot();
  ready.catch(() => {}); // a failed boot is shown on the page; don't also report it unhandled
  const session = (): Session => {
    if (!desktop.session) throw new Error('zos has not booted yet: await window.zos.ready');
    return desktop.session;
  };
  const terminal = (id: number | undefined): TerminalWindow => {
    const win = id === undefined ? desktop.terminals.activeWindow : desktop.terminals.get(id);
    if (!win) throw new Error(id === undefined ? 'no terminal is open' : `no terminal ${id}`);
    return win;
  };
  const editor = async () => {
    await ready;
    return desktop.editor!.load();
  };
  return {
    ready,
    get booted() { return desktop.booted; },
    get timings() { return { promptMs: desktop.session?.firstPromptMs ?? null }; },
    get bootId() { return desktop.session?.bootId ?? null; },
    boot: () => desktop.boot(),
    async spawn(nameOrBytes, opts) {
      await ready;
      const pid = session().sup.spawn(nameOrBytes, opts);
      desktop.ticker.request();
      return pid;
    },
    processes: () => session().view.processes(),
    caps: (pid) => session().view.caps(pid),
    endpoints: () => session().view.endpoints(),
    consoleText: (pid) => session().consoles.text(pid),
    sendInput: (pid, text) => session().sup.sendInput(pid, text),
    kill(pid) {
      const ok = session().sup.kill(pid);
      desktop.ticker.request();
      return ok;
    },
    async waitForExit(pid, timeoutMs = 10_000) {
      await ready;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`pid ${pid} did not end within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        return await Promise.race([session().sup.waitForExit(pid), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    syslog: (n = 100) => session().view.syslog(n),
    commits: (n = 100) => session().view.commits(Math.max(0, session().view.commitCount() - n)),
    commitLog: () => ({ count: session().view.commitCount(), firstKept: session().view.firstCommit() }),
    verify: () => verifyLive(session().view),
    stateHash: () => session().view.stateHash(),
    terminals: () => desktop.terminals.list().map((t) => ({ ...t, active: desktop.terminals.activeWindow?.id === t.id })),
    async openTerminal() {
      await ready;
      return desktop.terminals.openShell();
    },
    screenText: (id) => terminal(id).screenText(),
    terminalView: (id) => terminal(id).view(),
    async flush() {
      await ready;
      await desktop.flush();
    },
    async boots() {
      await ready;
      await desktop.persistenceReady;
      const history = desktop.history;
      if (!history) return [];
      if (history.running) return history.running;
      return history.reports ?? history.refresh();
    },
    showPanel: (name) => desktop.side.show(name),
    site: () => ({ ...site.status }),
    async openInEditor(what) {
      await ready;
      await desktop.editor!.open(what);
    },
    editor: {
      run: async () => (await editor()).run(),
      state: async () => (await editor()).snapshot(),
      setSource: async (source) => (await editor()).setSource(source),
      shareLink: async () => (await editor()).shareLink(),
    },
    actFor(pid, num, a0, a1 = 0, a2 = 0) {
      const result = session().sup.actFor(pid, num, a0, a1, a2);
      desktop.ticker.request();
      return result;
    },
    timeline: timelineApi(desktop),
    graph: graphApi(desktop),
  };
}

function timelineApi(desktop: Desktop): TimelineApi {
  const source = () => {
    if (!desktop.source) throw new Error('zos has not booted yet: await window.zos.ready');
    return desktop.source;
  };
  const info = (shown: Shown): ShownInfo => {
    const t = source().timeline();
    return { live: shown.live, boot: shown.boot, seq: shown.seq, first: t.first, last: t.last, stateHash: shown.stateHash() };
  };
  return {
    shown: () => info(source().current),
    goTo: (seq) => info(source().goTo(seq)),
    step: (delta) => info(source().step(delta)),
    live() {
      source().goLive();
      return info(source().current);
    },
    openBoot: async (id) => info(await source().openSavedBoot(id)),
    async openTrace(text, name = 'trace.jsonl') {
      await desktop.openTrace(name, text);
      return info(source().current);
    },
    diff: (from, to) => source().timeline().diff(from, to),
  };
}

function graphApi(desktop: Desktop): GraphApi {
  const panel = () => {
    if (!desktop.graphPanel) throw new Error('zos has not booted yet: await window.zos.ready');
    return desktop.graphPanel;
  };
  const drawn = () => {
    const view = panel().view;
    if (!view) throw new Error('the graph is not loaded yet: await window.zos.graph.open()');
    return view.cy;
  };
  return {
    async open() {
      await desktop.boot();
      desktop.side.show('graph');
      await panel().ready();
      panel().update();
    },
    nodes: () => drawn().nodes().map((n) => ({
      id: n.id(), kind: n.data('kind'), label: n.data('label'), classes: n.classes(), ...(n.data('parent') ? { parent: n.data('parent') } : {}),
    })),
    edges: () => drawn().edges().map((e) => ({
      id: e.id(), kind: e.data('kind'), label: e.data('label'), classes: e.classes(), source: e.data('source'), target: e.data('target'),
    })),
    box: (id) => panel().view?.clientBox(id) ?? null,
    filter: (pid) => panel().filter(pid),
    mode: () => panel().model?.mode ?? 'caps',
  };
}

export function installPageApi(api: ZosPageApi): void {
  Object.defineProperty(window, 'zos', { value: api, configurable: true, enumerable: true });
}
