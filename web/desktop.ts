// The desktop: top bar, terminals on the left, panels on the right, and
// what ties them to the running system (boot, refresh clock, saving).

import { BootHistory } from './boot-history.ts';
import { bootSystem } from './boot.ts';
import { BootsPanel } from './boots-panel.ts';
import { ChainWatch } from './chain-watch.ts';
import { h } from './dom.ts';
import { Inspector } from './inspector.ts';
import { LabsPanel } from './labs-entry.ts';
import { LogViewer } from './log-viewer.ts';
import { BootRecorder, openZosDB, pruneBoots, BOOTS_KEPT } from './persistence.ts';
import { ProcessPanel } from './process-panel.ts';
import type { Session } from './session.ts';
import { storageGet, storageSet } from './safe-storage.ts';
import { SidePanels } from './side-panels.ts';
import { TerminalArea } from './terminal-area.ts';
import { Ticker } from './ticker.ts';
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
  labs: LabsPanel | null = null;
  /** Settles when saving has started (or is known to be impossible). */
  persistenceReady: Promise<void> = Promise.resolve();
  private bootPromise: Promise<void> | null = null;

  /** `site`: what the page says about its stored copy (site-banner.ts), a pill in the top bar and a line below it. */
  constructor(root: HTMLElement, site?: { pill: HTMLElement; banner: HTMLElement }) {
    const main = h('div', { class: 'desktop-main' });
    const splitter = h('div', { class: 'splitter', role: 'separator', 'aria-orientation': 'vertical', title: 'drag to resize' });
    main.append(this.terminals.element, splitter, this.side.element);
    if (site) this.topBar.addPill(site.pill);
    root.replaceChildren(h('div', { class: 'desktop' }, this.topBar.element, site?.banner, main));
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
    this.processPanel = new ProcessPanel(session, changed);
    this.inspector = new Inspector(session, changed);
    this.logViewer = new LogViewer(session);
    const desktop = this; // eslint-disable-line @typescript-eslint/no-this-alias
    this.side.add('processes', this.processPanel);
    this.side.add('capabilities', this.inspector);
    this.side.add('logs', this.logViewer);
    this.side.add('boots', new BootsPanel({
      get history() { return desktop.history; },
      save: () => desktop.recorder?.status ?? null,
      currentBoot: () => desktop.recorder?.bootId ?? null,
      flush: () => desktop.flush(),
      unavailable: () => desktop.persistenceProblem,
    }));
    // Labs (issue 11): checked at every refresh, whichever panel is shown.
    // The editor's openInEditor goes in openEditor once the editor is part of the desktop.
    this.labs = new LabsPanel({ session, terminals: this.terminals, side: this.side, openEditor: () => null });
    this.side.add('labs', this.labs);
    this.ticker.add(() => this.labs?.tick());
    this.topBar.setBootState('up', 'up');
    this.persistenceReady = this.startPersistence(session);
    this.ticker.start();
    // When the page is idle after boot, so that the first prompt does not wait for it.
    requestIdleCallback(() => void this.labs?.resume(), { timeout: 2000 });
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
