// The desktop: top bar, terminals on the left, panels on the right, and
// what ties them to the running system (boot, refresh clock, saving).

import { BootHistory } from './boot-history.ts';
import { bootSystem } from './boot.ts';
import { BootsPanel } from './boots-panel.ts';
import { ChainWatch } from './chain-watch.ts';
import { h } from './dom.ts';
import { GraphPanel } from './graph-panel.ts';
import { Inspector } from './inspector.ts';
import { LogViewer } from './log-viewer.ts';
import { BootRecorder, openZosDB, pruneBoots, BOOTS_KEPT } from './persistence.ts';
import { ProcessPanel } from './process-panel.ts';
import type { Session } from './session.ts';
import { SidePanels } from './side-panels.ts';
import { StateSource } from './state-source.ts';
import { TerminalArea } from './terminal-area.ts';
import { Ticker } from './ticker.ts';
import { TimelineBar } from './timeline-bar.ts';
import { TopBar } from './top-bar.ts';

const SPLIT_KEY = 'zos.sideWidth';

export class Desktop {
  readonly topBar = new TopBar();
  readonly terminals = new TerminalArea();
  readonly side = new SidePanels();
  readonly chain = new ChainWatch();
  readonly ticker = new Ticker(250);
  session: Session | null = null;
  recorder: BootRecorder | null = null;
  history: BootHistory | null = null;
  persistenceProblem: string | null = null;
  processPanel: ProcessPanel | null = null;
  inspector: Inspector | null = null;
  logViewer: LogViewer | null = null;
  /** What the panels show: the live system, or a commit picked on the timeline. */
  source: StateSource | null = null;
  timeline: TimelineBar | null = null;
  graphPanel: GraphPanel | null = null;
  /** Settles when saving has started (or is known to be impossible). */
  persistenceReady: Promise<void> = Promise.resolve();
  private bootPromise: Promise<void> | null = null;

  constructor(root: HTMLElement) {
    const main = h('div', { class: 'desktop-main' });
    const splitter = h('div', { class: 'splitter', role: 'separator', 'aria-orientation': 'vertical', title: 'drag to resize' });
    main.append(this.terminals.element, splitter, this.side.element);
    root.replaceChildren(h('div', { class: 'desktop' }, this.topBar.element, main));
    this.makeSplitter(main, splitter);
    this.ticker.add(() => this.refresh());
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
      session = await bootSystem((line) => win.notice(line));
    } catch (e) {
      this.topBar.setBootState('failed', 'boot failed');
      win.notice(`\x1b[31mboot failed: ${(e as Error).message}\x1b[0m`);
      throw e;
    }
    this.session = session;
    this.terminals.attach(session);
    this.terminals.openShell(win);
    const changed = (): void => this.ticker.request();
    const source = new StateSource(session.view, () => session.now());
    source.onChange(changed);
    this.source = source;
    this.timeline = new TimelineBar(source);
    this.side.attachStrip(this.timeline);
    this.processPanel = new ProcessPanel(session, source, changed);
    this.inspector = new Inspector(session, source, changed);
    this.graphPanel = new GraphPanel(source);
    this.logViewer = new LogViewer(session);
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
    this.topBar.setBootState('up', 'up');
    this.persistenceReady = this.startPersistence(session);
    this.ticker.start();
  }

  /** Saves the logs now (they are saved every 500 ms anyway). */
  async flush(): Promise<void> {
    await this.persistenceReady;
    await this.recorder?.flush();
  }

  private async startPersistence(session: Session): Promise<void> {
    try {
      if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this browser');
      const db = await openZosDB();
      await pruneBoots(db, BOOTS_KEPT - 1);
      this.recorder = await BootRecorder.start(db, session.view);
      session.bootId = this.recorder.bootId;
      this.recorder.startTimer();
      void this.recorder.flush();
    } catch (e) {
      this.persistenceProblem = `IndexedDB: ${(e as Error).message || String(e)}`;
      this.topBar.setSaveUnavailable(this.persistenceProblem);
    }
    this.history = new BootHistory(() => this.recorder?.bootId ?? null);
    if (!this.persistenceProblem) void this.history.refresh().then(() => this.ticker.request());
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
    const saved = Number(localStorageGet(SPLIT_KEY));
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
        if (w) localStorageSet(SPLIT_KEY, String(w));
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up, { once: true });
    });
  }
}

function localStorageGet(key: string): string | null {
  try { return localStorage.getItem(key); } catch { return null; }
}

function localStorageSet(key: string, value: string): void {
  try { localStorage.setItem(key, value); } catch { /* private mode */ }
}
