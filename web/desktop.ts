// The desktop: top bar, terminals on the left, panels on the right, and
// what ties them to the running system (boot, refresh clock, saving).

import type { Commit } from '../kernel/commits.ts';
import { acceptDrops, openAll, openFileButton } from './binary-drop.ts';
import type { BootHistory } from './boot-history.ts';
import { bootSystem } from './boot.ts';
import { ChainWatch } from './chain-watch.ts';
import { h } from './dom.ts';
import type { GraphPanel } from './graph-panel.ts';
import { EditorPanel, SHARE_PREFIX } from './editor-panel.ts';
import type { Inspector } from './inspector.ts';
import type { LabsPanel } from './labs-entry.ts';
import type { ExportKind, LogViewer } from './log-viewer.ts';
import type { BootRecorder } from './persistence.ts';
import type { ProcessPanel } from './process-panel.ts';
import type { Session } from './session.ts';
import { storageGet, storageSet } from './safe-storage.ts';
import { SidePanels } from './side-panels.ts';
import type { StateSource } from './state-source.ts';
import { TerminalArea } from './terminal-area.ts';
import { Ticker } from './ticker.ts';
import type { TimelineBar } from './timeline-bar.ts';
import { Toast } from './toast.ts';
import { TopBar } from './top-bar.ts';
import { nameFromFile, UserPrograms } from './user-programs.ts';

const SPLIT_KEY = 'zos.sideWidth';
/** The panels and saving start with the first prompt, or this long after the boot if the shell shows none. */
const AFTER_PROMPT_AT_MOST_MS = 2000;

export class Desktop {
  readonly topBar = new TopBar();
  readonly terminals = new TerminalArea();
  readonly side = new SidePanels();
  readonly chain = new ChainWatch();
  readonly ticker = new Ticker(250, () => this.activity());
  readonly toast = new Toast();
  session: Session | null = null;
  programs: UserPrograms | null = null;
  editor: EditorPanel | null = null;
  recorder: BootRecorder | null = null;
  history: BootHistory | null = null;
  persistenceProblem: string | null = null;
  processPanel: ProcessPanel | null = null;
  inspector: Inspector | null = null;
  logViewer: LogViewer | null = null;
  labs: LabsPanel | null = null;
  /** What the panels show: the live system, or a commit picked on the timeline. */
  source: StateSource | null = null;
  timeline: TimelineBar | null = null;
  graphPanel: GraphPanel | null = null;
  /** Settles when saving has started (or is known to be impossible). */
  persistenceReady: Promise<void> = Promise.resolve();
  private bootPromise: Promise<void> | null = null;
  private readonly unsaved: Commit[] = [];

  /** `site`: what the page says about its stored copy (site-banner.ts), a pill in the top bar and a line below it. */
  constructor(root: HTMLElement, site?: { pill: HTMLElement; banner: HTMLElement }) {
    const main = h('div', { class: 'desktop-main' });
    const splitter = h('div', { class: 'splitter', role: 'separator', 'aria-orientation': 'vertical', title: 'drag to resize' });
    main.append(this.terminals.element, splitter, this.side.element);
    if (site) this.topBar.addPill(site.pill);
    const desktop = h('div', { class: 'desktop' }, this.topBar.element, site?.banner, main);
    root.replaceChildren(desktop);
    this.makeSplitter(main, splitter);
    this.terminals.element.append(this.toast.element);
    acceptDrops(desktop, (name, bytes) => void this.openFile(name, bytes), this.unreadable);
    this.terminals.addTool(openFileButton((name, bytes) => void this.openFile(name, bytes), this.unreadable));
    this.ticker.add(() => this.refresh());
  }

  private readonly unreadable = (name: string, why: string): void => this.toast.show(`${name} could not be read: ${why}`);

  /**
   * A file the user gave the page (dropped or picked): a `.ts` or `.wat`
   * source opens in the editor; a `.jsonl` trace opens read-only (openTrace);
   * anything else is taken for a binary and run (refused with the
   * validator's message if it is not one).
   */
  async openFile(fileName: string, bytes: Uint8Array): Promise<void> {
    if (/\.jsonl$/i.test(fileName)) {
      await this.openTraceFile(fileName, bytes);
      return;
    }
    const source = /\.(ts|wat)$/i.exec(fileName);
    try {
      if (!this.programs || !this.editor) throw new Error('zos is still booting; try again in a moment');
      if (source) {
        const language = source[1]!.toLowerCase() === 'wat' ? 'wat' : 'as';
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        await this.editor.open({ source: text, language, name: nameFromFile(fileName.slice(0, -source[0].length)) });
      } else {
        this.programs.run(nameFromFile(fileName), bytes, fileName);
      }
      this.toast.hide();
    } catch (e) {
      this.toast.show(`${fileName} was refused (nothing was started): ${(e as Error).message}`);
    }
  }

  /**
   * Opens a trace file read-only: checked line by line, its chain verified
   * and replayed (record/trace.ts) before anything is shown; a file that
   * fails is refused with the reason, and nothing shown or saved changes.
   */
  async openTraceFile(fileName: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.openTrace(fileName, new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      this.toast.hide();
    } catch (e) {
      this.toast.show(`${fileName} was not opened (nothing changed): ${(e as Error).message}`);
    }
  }

  /**
   * Downloads this boot as a trace, a Chrome trace or a signed receipt. The
   * commits the kernel no longer keeps in memory are read back from
   * IndexedDB, so the file starts at Genesis.
   */
  private async exportRun(kind: ExportKind): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const first = session.view.firstCommit();
      let earlier: Commit[] = [];
      if (first > 0) {
        if (!this.recorder) {
          throw new Error(`the kernel keeps commits from ${first} on in memory and the older ones were not saved ` +
            `(${this.persistenceProblem ?? 'saving has not started'}); a trace starts at Genesis`);
        }
        earlier = await this.recorder.commitsBefore(first);
      }
      const { exportFile, download } = await import('./run-export.ts');
      download(await exportFile(kind, session.runRecord(earlier), session.bootId));
    } catch (e) {
      this.toast.show(`Export failed (nothing was written): ${(e as Error).message}`);
    }
  }

  /** A trace file picked in the Logs panel: too large a file is refused before it is read. */
  private async pickTrace(file: File): Promise<void> {
    const { MAX_TRACE_BYTES } = await import('../record/trace.ts');
    if (file.size > MAX_TRACE_BYTES) {
      this.toast.show(`${file.name} was not opened (nothing changed): it is ${file.size} bytes; a trace may have at most ${MAX_TRACE_BYTES}`);
      return;
    }
    await openAll([file], (name, bytes) => void this.openTraceFile(name, bytes), this.unreadable);
  }

  /** Reads and shows a trace's text; throws the reason it cannot be (TraceError). */
  async openTrace(fileName: string, text: string): Promise<void> {
    if (!this.source) throw new Error('zos is still booting; try again in a moment');
    const { readTrace } = await import('../record/trace.ts');
    this.source.openTrace(fileName, readTrace(text));
    this.side.show('logs');
  }

  /** Boots once; later calls return the same promise. */
  boot(): Promise<void> {
    this.bootPromise ??= this.doBoot();
    return this.bootPromise;
  }

  get booted(): boolean {
    return this.session !== null;
  }

  private async doBoot(): Promise<void> {
    const win = this.terminals.createBootWindow();
    let session: Session;
    try {
      session = await bootSystem((line) => win.notice(line), (dropped) => this.spill(dropped));
    } catch (e) {
      this.topBar.setBootState('failed', 'boot failed');
      win.notice(`\x1b[31mboot failed: ${(e as Error).message}\x1b[0m`);
      throw e;
    }
    this.session = session;
    this.terminals.attach(session);
    this.terminals.openShell(win);
    const changed = (): void => this.ticker.request();
    this.programs = new UserPrograms(session, this.terminals, changed);
    const programs = this.programs;
    this.editor = new EditorPanel({ run: (name, bytes) => programs.run(name, bytes, 'compiled in the editor') }, () => this.side.show('editor'));
    this.side.add('editor', this.editor);
    this.topBar.setBootState('up', 'up');
    this.ticker.start();
    this.openSharedProgram();
    window.addEventListener('hashchange', () => this.openSharedProgram());
    // The other panels and saving are not needed for the first prompt: their code
    // (and IndexedDB, zod, the verification worker) loads once it is shown.
    const later = Promise.race([session.firstPrompt, new Promise((r) => setTimeout(r, AFTER_PROMPT_AT_MOST_MS))]);
    this.persistenceReady = later.then(() => this.startPersistence(session));
    // The boot (window.zos.ready) is over once the panels are there too: the prompt does not wait for them.
    await later.then(() => this.addPanels(session)).catch((e: unknown) => console.error('zos: the panels failed to load', e));
  }

  /** The side panels, in a chunk of their own. */
  private async addPanels(session: Session): Promise<void> {
    const [{ ProcessPanel }, { Inspector }, { LogViewer }, { BootsPanel }, { LabsPanel }, { GraphPanel }, { StateSource }, { TimelineBar }] = await Promise.all([
      import('./process-panel.ts'), import('./inspector.ts'), import('./log-viewer.ts'), import('./boots-panel.ts'),
      import('./labs-entry.ts'), import('./graph-panel.ts'), import('./state-source.ts'), import('./timeline-bar.ts')]);
    const changed = (): void => this.ticker.request();
    // What the panels show: the live system, or a commit picked on the timeline.
    const source = new StateSource(session.view, () => session.now());
    source.onChange(changed);
    this.source = source;
    this.timeline = new TimelineBar(source);
    this.side.attachStrip(this.timeline);
    this.processPanel = new ProcessPanel(session, source, changed);
    this.inspector = new Inspector(session, source, changed);
    this.graphPanel = new GraphPanel(source);
    this.logViewer = new LogViewer(session, source, (file) => void this.pickTrace(file), (kind) => void this.exportRun(kind));
    const desktop = this; // eslint-disable-line @typescript-eslint/no-this-alias
    this.side.add('processes', this.processPanel);
    this.side.add('capabilities', this.inspector);
    this.side.add('graph', this.graphPanel);
    this.side.add('logs', this.logViewer);
    this.side.add('boots', new BootsPanel({
      get history() { return desktop.history; },
      save: () => desktop.recorder?.status ?? null,
      currentBoot: () => desktop.recorder?.bootId ?? null,
      flush: () => desktop.flush(),
      unavailable: () => desktop.persistenceProblem,
      travel: (id) => source.openSavedBoot(id).then(() => undefined),
    }));
    // A lab in progress is checked at every refresh, whichever panel is shown.
    const labs = new LabsPanel({ session, terminals: this.terminals, side: this.side, openEditor: (template) => desktop.editor?.open(template) ?? null });
    this.labs = labs;
    this.side.add('labs', labs);
    this.ticker.add(() => labs.tick());
    this.ticker.request();
    // When the page is idle after boot: the lab left in progress comes back.
    requestIdleCallback(() => void labs.resume(), { timeout: 2000 });
  }

  /** A shared link (`#program=...` in the address) opens its program in the editor. */
  private openSharedProgram(): void {
    if (location.hash.startsWith(SHARE_PREFIX)) void this.editor?.openLink(location.hash).catch(() => {}); // the editor shows why
  }

  /**
   * Commits the kernel drops from memory go to the recorder, to be saved
   * before they are gone; until saving has started they wait here.
   */
  private spill(dropped: Commit[]): void {
    if (this.recorder) this.recorder.spill(dropped);
    else if (!this.persistenceProblem) this.unsaved.push(...dropped);
  }

  /** Saves the logs now (they are saved every 500 ms anyway). */
  async flush(): Promise<void> {
    await this.persistenceReady;
    await this.recorder?.flush();
  }

  private async startPersistence(session: Session): Promise<void> {
    const [{ BootRecorder, openZosDB, pruneBoots, BOOTS_KEPT }, { BootHistory }] = await Promise.all([
      import('./persistence.ts'), import('./boot-history.ts')]);
    try {
      if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this browser');
      const db = await openZosDB();
      await pruneBoots(db, BOOTS_KEPT - 1);
      this.recorder = await BootRecorder.start(db, session.view);
      this.recorder.spill(this.unsaved.splice(0));
      session.bootId = this.recorder.bootId;
      this.recorder.startTimer();
      void this.recorder.flush();
    } catch (e) {
      this.persistenceProblem = `IndexedDB: ${(e as Error).message || String(e)}`;
      this.unsaved.length = 0; // nowhere to save them
      this.topBar.setSaveUnavailable(this.persistenceProblem);
    }
    this.history = new BootHistory(() => this.recorder?.bootId ?? null);
    if (!this.persistenceProblem) void this.history.refresh().then(() => this.ticker.request());
  }

  /**
   * Everything the top bar and the panels show changes only with one of
   * these: an idle desktop has the same signature tick after tick, and is
   * not redrawn (docs/performance.md, page idle).
   */
  private activity(): string {
    const s = this.session;
    if (!s) return 'booting';
    const save = this.recorder?.status;
    return `${s.sup.stats.syscalls}|${s.view.commitCount()}|${this.topBar.clock(s)}|${save?.state}|${save?.savedAt}|${this.history?.version}|${this.chain.verified}`;
  }

  private refresh(): void {
    const session = this.session;
    if (!session) return;
    session.drainDebug();
    this.topBar.update(session, this.chain, this.recorder?.status ?? null);
    this.timeline?.update();
    this.side.update();
  }

  private makeSplitter(main: HTMLElement, splitter: HTMLElement): void {
    const saved = Number(storageGet('local', SPLIT_KEY));
    if (saved >= 280) main.style.setProperty('--side-width', `${saved}px`);
    splitter.addEventListener('pointerdown', (e) => {
      splitter.setPointerCapture(e.pointerId);
      main.classList.add('resizing');
      const move = (ev: PointerEvent): void => {
        const width = Math.min(Math.max(280, main.getBoundingClientRect().right - ev.clientX), main.clientWidth - 320);
        main.style.setProperty('--side-width', `${Math.round(width)}px`);
      };
      const up = (): void => {
        main.classList.remove('resizing');
        splitter.removeEventListener('pointermove', move);
        const w = parseInt(main.style.getPropertyValue('--side-width'), 10);
        if (w) storageSet('local', SPLIT_KEY, String(w));
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up, { once: true });
    });
  }
}
