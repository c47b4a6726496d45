// The Graph panel: the capability graph of the state shown (live, or at the
// commit the timeline is on). What the shown commit touched is marked;
// clicking a node shows what it is and the commits that touched it, each a
// jump in time. Filter by process, group, zoom, fit, lay out again.
//
// The drawing library (graph-view.ts: Cytoscape.js and fCoSE) is imported
// the first time the panel is shown, so the desktop boots without it.

import './graph-panel.css';
import * as A from '../kernel/abi.ts';
import { objectTypeName, permsString } from '../kernel/names.ts';
import type { CapInfo } from '../kernel/view.ts';
import { commitText } from './commit-text.ts';
import { formatNs, h, replaceChildren, setText } from './dom.ts';
import { buildGraph, type GraphMode, type GraphModel } from './graph-model.ts';
import type { GraphView } from './graph-view.ts';
import type { NodeKey } from './log-index.ts';
import type { Panel } from './panel.ts';
import type { Shown, StateSource } from './state-source.ts';

/** Commits listed under a node's details. */
const TOUCHES_LISTED = 12;

const RIGHTS_MEANING = 'r: receive on an endpoint one owns · w: send and call · g: grant and revoke';

export class GraphPanel implements Panel {
  readonly element: HTMLElement;
  view: GraphView | null = null;
  model: GraphModel | null = null;
  private loading: Promise<GraphView> | null = null;
  private readonly canvas = h('div', { class: 'graph-canvas', 'data-testid': 'graph-canvas' });
  private readonly pidFilter = h('select', { 'aria-label': 'show process', 'data-testid': 'graph-filter' }, h('option', { value: '' }, 'all processes'));
  private readonly modeSelect = h('select', { 'aria-label': 'grouping', 'data-testid': 'graph-mode' },
    h('option', { value: 'auto' }, 'auto'), h('option', { value: 'caps' }, 'every capability'), h('option', { value: 'grouped' }, 'grouped by process'));
  private readonly status = h('div', { class: 'graph-status', 'data-testid': 'graph-status' }, 'Loading the graph library…');
  private readonly details = h('div', { class: 'graph-details', 'data-testid': 'graph-details' });
  private selected: NodeKey | null = null;
  private signature = '';
  private filterPids = '';

  constructor(private readonly source: StateSource) {
    const tool = (label: string, title: string, run: (v: GraphView) => void, testid: string): HTMLButtonElement => {
      const b = h('button', { class: 'btn small', type: 'button', title, 'data-testid': testid }, label);
      b.addEventListener('click', () => { if (this.view) run(this.view); });
      return b;
    };
    this.pidFilter.addEventListener('change', () => this.redraw());
    this.modeSelect.addEventListener('change', () => this.redraw());
    this.details.addEventListener('click', (e) => this.onDetailsClick(e));
    this.element = h('div', { class: 'panel graph-panel' },
      h('div', { class: 'toolbar' },
        h('label', {}, 'Show ', this.pidFilter), h('label', {}, 'Group ', this.modeSelect),
        h('div', { class: 'spacer' }),
        tool('−', 'zoom out (or the mouse wheel)', (v) => v.zoomBy(1 / 1.3), 'graph-zoom-out'),
        tool('+', 'zoom in (or the mouse wheel)', (v) => v.zoomBy(1.3), 'graph-zoom-in'),
        tool('Fit', 'the whole graph in view', (v) => v.fit(), 'graph-fit'),
        tool('Lay out', 'lay the graph out again from scratch', (v) => { v.layout(true); }, 'graph-layout')),
      this.status,
      this.canvas,
      h('div', { class: 'graph-legend hint' },
        h('span', { class: 'lg lg-proc' }, 'process'), h('span', { class: 'lg lg-ep' }, 'endpoint'),
        h('span', { class: 'lg lg-cap' }, 'capability: slot, rights'), h('span', { class: 'lg lg-derived' }, 'derived into'),
        h('span', { class: 'lg lg-names' }, 'names'), h('span', { class: 'lg lg-flight' }, 'in flight'),
        h('span', { class: 'lg lg-changed' }, 'changed at this commit')),
      this.details);
    new ResizeObserver(() => this.view?.resize()).observe(this.canvas);
  }

  shown(): void {
    void this.ready().then((v) => v.resize());
  }

  /** Loads the drawing library (once) and draws. */
  ready(): Promise<GraphView> {
    this.loading ??= import('./graph-view.ts').then(({ GraphView }) => {
      this.view = new GraphView(this.canvas, (id) => this.select(id));
      this.redraw();
      return this.view;
    });
    return this.loading;
  }

  update(): void {
    if (!this.view) return;
    const shown = this.source.current;
    const leaseTick = shown.live && this.model?.nodes.some((n) => n.classes.includes('leased')) ? Math.floor(shown.time / 2.5e8) : 0;
    const signature = `${shown.live}|${shown.where}|${shown.seq}|${leaseTick}|${this.pidFilter.value}|${this.modeSelect.value}`;
    if (signature === this.signature) return;
    this.signature = signature;
    const filter = this.pidFilter.value === '' ? null : Number(this.pidFilter.value);
    this.model = buildGraph(shown, { filterPid: filter, mode: this.modeSelect.value as GraphMode | 'auto' });
    this.view.update(this.model);
    this.renderFilter(shown);
    this.renderStatus(shown, this.model);
    this.renderDetails(shown);
  }

  /** Shows one process's neighbourhood (null: everything). */
  filter(pid: number | null): void {
    if (pid !== null && ![...this.pidFilter.options].some((o) => o.value === String(pid))) {
      this.pidFilter.append(h('option', { value: pid }, `pid ${pid}`));
    }
    this.pidFilter.value = pid === null ? '' : String(pid);
    this.redraw();
  }

  /** Picks a node (null: none) and shows its details. */
  select(id: NodeKey | null): void {
    this.selected = id;
    this.view?.select(id);
    this.renderDetails(this.source.current);
  }

  private redraw(): void {
    this.signature = '';
    this.update();
  }

  private renderFilter(shown: Shown): void {
    const procs = shown.processes().filter((p) => p.status === 'alive' && p.pid !== A.PID_SUPERVISOR).sort((a, b) => a.pid - b.pid);
    const key = procs.map((p) => `${p.pid}:${p.name}`).join(',');
    if (key === this.filterPids) return;
    this.filterPids = key;
    const value = this.pidFilter.value;
    replaceChildren(this.pidFilter, h('option', { value: '' }, 'all processes'),
      ...procs.map((p) => h('option', { value: p.pid }, `pid ${p.pid} ${p.name}`)));
    if (value !== '' && !procs.some((p) => String(p.pid) === value)) this.pidFilter.append(h('option', { value }, `pid ${value}`));
    this.pidFilter.value = value;
  }

  private renderStatus(shown: Shown, model: GraphModel): void {
    const c = shown.commit();
    const when = shown.live ? 'live' : `${shown.where === null ? '' : `${shown.where}, `}commit ${shown.seq}`;
    const drawn = model.mode === 'grouped'
      ? `${model.caps} capabilities grouped by process (filter a process, or choose "every capability", to see each)`
      : `${model.capsDrawn} of ${model.caps} capabilities`;
    replaceChildren(this.status,
      h('div', {}, h('strong', {}, when), ` · ${drawn}`),
      h('div', { class: 'dim', 'data-testid': 'graph-last-commit' }, `${shown.live ? 'last commit' : 'this commit'} #${c.seq} ${c.type}: ${commitText(c)}`));
  }

  private renderDetails(shown: Shown): void {
    const key = this.selected;
    if (!key) {
      replaceChildren(this.details, h('p', { class: 'hint' }, `Click a process, endpoint or capability to see what it is and the commits that touched it. Rights: ${RIGHTS_MEANING}.`));
      return;
    }
    const kind = key[0];
    const id = Number(key.slice(1));
    const facts = kind === 'p' ? this.processFacts(shown, id) : kind === 'e' ? this.endpointFacts(shown, id) : this.capFacts(shown, id);
    replaceChildren(this.details, ...facts, this.touchList(shown, key));
  }

  private processFacts(shown: Shown, pid: number): HTMLElement[] {
    const p = shown.process(pid);
    if (!p) return [h('h4', {}, `pid ${pid}`), h('p', { class: 'dim' }, `There is no pid ${pid} at commit ${shown.seq}.`)];
    const caps = shown.caps(pid);
    const owns = shown.endpoints().filter((e) => e.owner === pid).map((e) => e.id);
    const end = p.status === 'exited' ? `exited with code ${p.exitCode}` : p.status === 'faulted' ? `faulted: ${p.fault?.reason}: ${p.fault?.description}` : 'alive';
    return [
      h('h4', {}, `Process pid ${pid} · ${p.name}`),
      fact('status', end), fact('parent', `pid ${p.parent}`),
      fact('CSpace', `${caps.length} capabilities: ${caps.sort((a, b) => a.slot - b.slot).slice(0, 16).map((c) => `${c.slot}:${permsString(c.perms)}`).join(' ')}${caps.length > 16 ? ' …' : ''}`),
      fact('owns', owns.length ? owns.map((e) => `endpoint ${e}`).join(', ') : 'no endpoint'),
    ];
  }

  private endpointFacts(shown: Shown, id: number): HTMLElement[] {
    const e = shown.endpoints().find((x) => x.id === id);
    if (!e) return [h('h4', {}, `Endpoint ${id}`), h('p', { class: 'dim' }, `Endpoint ${id} does not exist at commit ${shown.seq}.`)];
    return [
      h('h4', {}, `Endpoint ${id}`),
      fact('owner', `pid ${e.owner}: only the owner receives from it (RECEIVE needs r and ownership)`),
      fact('holders', e.holders.map((x) => `pid ${x.pid} slot ${x.slot} ${permsString(x.perms)}`).join(' · ') || 'none'),
      ...(shown.live ? [fact('queue', `${e.queued} message${e.queued === 1 ? '' : 's'} waiting`)] : []),
    ];
  }

  private capFacts(shown: Shown, id: number): HTMLElement[] {
    const all = shown.caps();
    const byId = new Map(all.map((c) => [c.id, c]));
    const where = (x: number): string => {
      const c = byId.get(x);
      return c ? `#${x} (pid ${c.pid} slot ${c.slot})` : `#${x} (out of every CSpace)`;
    };
    const kids = all.filter((c) => c.parent === id).map((c) => where(c.id));
    const held = byId.get(id);
    const detached = held ? undefined : shown.detached().find((d) => d.id === id);
    const cap: Pick<CapInfo, 'type' | 'object' | 'perms' | 'parent' | 'expires'> | undefined = held ?? detached;
    if (!cap) return [h('h4', {}, `Capability #${id}`), h('p', { class: 'dim' }, `Capability #${id} is not in the state at commit ${shown.seq}.`)];
    const lease = cap.expires === 0 ? 'never expires'
      : cap.expires > shown.time ? `expires at ${formatNs(cap.expires)} s: ${((cap.expires - shown.time) / 1e9).toFixed(1)} s left` : 'expired';
    return [
      h('h4', {}, `Capability #${id}`),
      held ? fact('held by', `pid ${held.pid} in slot ${held.slot}`)
        : detached!.flight ? fact('in flight', `sent by pid ${detached!.flight.fromPid} from slot ${detached!.flight.fromSlot} at commit ${detached!.flight.sentSeq}${detached!.flight.endpoint !== null ? `, in a message to endpoint ${detached!.flight.endpoint}` : ''}; it lands in the receiver's CSpace when received`)
          : fact('deleted', 'out of every CSpace, kept in the derivation tree because something derived from it is still held: a revoke further up still reaches it'),
      fact('names', `${objectTypeName(cap.type).toLowerCase()} ${cap.object}`),
      fact('rights', `${permsString(cap.perms)} (${RIGHTS_MEANING})`),
      fact('derived from', cap.parent ? where(cap.parent) : 'nothing: a root capability'),
      fact('derived into', kids.length ? kids.join(', ') : 'nothing'),
      fact('lease', lease),
    ];
  }

  /** The commits that touched a node, newest first, each a button that goes there. */
  private touchList(shown: Shown, key: NodeKey): HTMLElement {
    const timeline = this.source.timeline();
    const { total, recent } = timeline.index.touchesOf(key);
    const upTo = recent.filter((s) => s <= shown.seq);
    const later = recent.length - upTo.length;
    const listed = upTo.slice(-TOUCHES_LISTED).reverse();
    return h('div', { class: 'touches' },
      h('h4', {}, `Commits that touched it: ${total}${later ? ` (${later} after this one)` : ''}`),
      listed.length ? h('ul', { 'data-testid': 'graph-touches' }, ...listed.map((seq) => {
        const c = timeline.commit(seq);
        return h('li', {}, h('button', {
          class: `linkish${seq === shown.seq ? ' current' : ''}`, type: 'button', 'data-seq': seq, title: 'show the state just after this commit',
        }, `#${seq} ${c.type}`), ` ${commitText(c)}`);
      })) : h('p', { class: 'dim' }, 'none up to this commit'),
      upTo.length > listed.length ? h('p', { class: 'dim' }, `… ${upTo.length - listed.length} older`) : null);
  }

  private onDetailsClick(e: Event): void {
    const b = (e.target as HTMLElement).closest<HTMLElement>('button[data-seq]');
    if (!b) return;
    this.source.goTo(Number(b.dataset.seq));
  }
}

function fact(name: string, text: string): HTMLElement {
  return h('div', { class: 'fact' }, h('span', { class: 'fact-name' }, name), h('span', {}, text));
}
