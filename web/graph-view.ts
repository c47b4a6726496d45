// The capability graph drawn with Cytoscape.js and laid out by fCoSE
// (cytoscape-fcose). Loaded with a dynamic import the first time the Graph
// panel is opened, so booting the desktop never pays for it.
//
// Why these: the graph is compound (a process holds its capabilities and
// owns its endpoints), and fCoSE is the one well-kept layout made for
// compound graphs (spectral start, then force-directed refinement), while
// Cytoscape.js draws on a canvas (a thousand nodes and edges stay smooth)
// and gives zoom, pan, hit-testing and styles. dagre and ELK lay out layers
// and handle compound nodes poorly or slowly for a graph that is not a
// DAG (capabilities point back at their holders' processes).
//
// Updates are diffs: a commit adds or removes a node or two, the rest keep
// their places. A new node starts next to what it relates to; a full
// re-layout (incremental, from the current positions) runs a moment after
// the graph stops changing, never per commit (and in a large graph only
// when asked: it takes seconds there).

import cytoscape, { type Core, type ElementDefinition, type NodeSingular, type StylesheetJson } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { GraphEdge, GraphModel, GraphNode } from './graph-model.ts';

cytoscape.use(fcose);

/** Quiet time after the last structural change before the graph is laid out again. */
const RELAYOUT_AFTER_MS = 700;
/**
 * Below this many nodes a layout is animated, and runs by itself once the
 * graph stops changing; above it a layout costs seconds, so new nodes keep
 * the places they were given until "Lay out" is pressed.
 */
const ANIMATE_BELOW = 300;
/** Positions of removed nodes kept, so stepping back and forth through commits puts them back where they were. */
const REMEMBERED = 5000;

const STYLE: StylesheetJson = [
  { selector: 'node', style: { 'font-family': 'DejaVu Sans Mono, Menlo, Consolas, monospace', 'font-size': 9, color: '#d6dde6', 'min-zoomed-font-size': 5 } },
  {
    selector: 'node.process',
    style: {
      shape: 'round-rectangle', 'background-color': '#18222d', 'background-opacity': 0.9, 'border-width': 1, 'border-color': '#46607a',
      label: 'data(label)', 'text-valign': 'top', 'text-halign': 'center', 'text-wrap': 'wrap', 'font-size': 11, color: '#a9b7c6',
      padding: '8px', width: 96, height: 34, 'text-margin-y': -2,
    },
  },
  { selector: 'node.process:childless', style: { 'text-valign': 'center' } },
  { selector: 'node.process.group', style: { width: 132, height: 38, 'font-size': 10.5, color: '#d6dde6', 'text-valign': 'center' } },
  { selector: 'node.process.exited, node.process.faulted', style: { 'border-style': 'dashed', color: '#5d6b7b', 'background-opacity': 0.4 } },
  { selector: 'node.process.faulted', style: { 'border-color': '#8a3a3a' } },
  {
    selector: 'node.cap',
    style: {
      shape: 'round-rectangle', width: 74, height: 24, 'background-color': '#0f1a24', 'border-width': 1.5, 'border-color': '#4fd1a8',
      label: 'data(label)', 'text-valign': 'center', 'text-halign': 'center', 'text-wrap': 'wrap', 'font-size': 10,
    },
  },
  { selector: 'node.cap.own', style: { height: 32 } },
  { selector: 'node.cap.leased', style: { height: 32, 'border-style': 'double', 'border-width': 3 } },
  { selector: 'node.cap.own.leased', style: { height: 42 } },
  { selector: 'node.process-cap', style: { 'border-color': '#6cb6ff' } },
  { selector: 'node.other-cap', style: { 'border-color': '#8493a4' } },
  {
    selector: 'node.endpoint',
    style: {
      shape: 'diamond', width: 26, height: 26, 'background-color': '#2c6e5b', 'border-width': 1, 'border-color': '#7ee0c3',
      label: 'data(label)', 'text-valign': 'bottom', 'text-margin-y': 3, 'font-size': 9, color: '#7ee0c3',
    },
  },
  {
    selector: 'node.detached',
    style: {
      shape: 'round-rectangle', width: 96, height: 34, 'background-color': '#1d1a10', 'border-width': 1.5, 'border-style': 'dashed',
      'border-color': '#e3c26f', label: 'data(label)', 'text-wrap': 'wrap', 'text-valign': 'center', 'text-halign': 'center', 'font-size': 8.5, color: '#e3c26f',
    },
  },
  { selector: 'node.deleted', style: { 'border-style': 'dotted', 'border-color': '#5d6b7b', color: '#8493a4', 'background-color': '#141b23' } },
  {
    selector: 'node.changed',
    style: { 'underlay-color': '#ffd866', 'underlay-padding': 5, 'underlay-opacity': 0.45, 'underlay-shape': 'round-rectangle', 'border-color': '#ffd866' },
  },
  { selector: 'node:selected', style: { 'overlay-color': '#6cb6ff', 'overlay-padding': 4, 'overlay-opacity': 0.3 } },
  {
    selector: 'edge',
    style: {
      width: 1, 'line-color': '#46607a', 'target-arrow-color': '#46607a', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.7,
      'curve-style': 'bezier', opacity: 0.8, label: 'data(label)', 'font-size': 8, color: '#8493a4', 'text-rotation': 'autorotate',
      'text-background-color': '#141b23', 'text-background-opacity': 0.8, 'text-background-padding': '1px', 'min-zoomed-font-size': 6,
    },
  },
  // What a capability names: many of them, often into one endpoint; straight lines without arrows draw fastest
  // (the direction is plain: from a slot to a diamond or a process).
  { selector: 'edge.names', style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'target-arrow-shape': 'none', opacity: 0.6 } },
  { selector: 'edge.names.group', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', opacity: 0.8 } },
  { selector: 'edge.process-cap', style: { 'line-color': '#3d6a94', 'target-arrow-color': '#3d6a94' } },
  { selector: 'edge.derived', style: { width: 2, 'line-color': '#7ee0c3', 'target-arrow-color': '#7ee0c3', 'line-style': 'solid', opacity: 0.9 } },
  { selector: 'edge.flight', style: { width: 2, 'line-color': '#e3c26f', 'target-arrow-color': '#e3c26f', 'line-style': 'dashed' } },
];

/**
 * Below this zoom, labels and arrowheads would be under 4 px: they are not
 * drawn (drawing them is most of a redraw's cost in a large graph).
 */
const FAR_ZOOM = 0.4;
const STYLE_FAR: StylesheetJson = [
  ...STYLE,
  { selector: 'node', style: { label: '' } },
  { selector: 'edge', style: { label: '', 'target-arrow-shape': 'none' } },
];

interface Placed {
  sig: string;
  parent: string | null;
}

export class GraphView {
  readonly cy: Core;
  private readonly placed = new Map<string, Placed>();
  private readonly remembered = new Map<string, { x: number; y: number }>();
  private layoutTimer: ReturnType<typeof setTimeout> | null = null;
  private laidOut = false;
  /** Set once the user zooms or pans: from then on a resize keeps their view instead of fitting the graph. */
  private userMoved = false;
  private far = false;
  /** Layouts run so far, and the time the last one took (ms). */
  layouts = { count: 0, lastMs: 0 };

  constructor(container: HTMLElement, onSelect: (id: string | null) => void) {
    this.cy = cytoscape({
      container, style: STYLE, minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: false,
      selectionType: 'single', textureOnViewport: true, hideEdgesOnViewport: false,
    });
    this.cy.on('tap', 'node', (e) => onSelect(e.target.id()));
    this.cy.on('tap', (e) => { if (e.target === this.cy) onSelect(null); });
    this.cy.on('scrollzoom dragpan pinchzoom', () => { this.userMoved = true; });
    this.cy.on('zoom', () => this.levelOfDetail());
    // Cytoscape keeps where its container is on the page and reads it again only on a resize; the container
    // moves without one when a strip appears above the panel (a lab's, the timeline's). Read it afresh
    // before each press or wheel, so that what is under the pointer is what is picked or zoomed about.
    for (const type of ['pointerdown', 'wheel'] as const) container.addEventListener(type, () => this.cy.resize(), { capture: true, passive: true });
  }

  /** Labels and arrowheads only where they can be read. */
  private levelOfDetail(): void {
    const far = this.cy.zoom() < FAR_ZOOM;
    if (far === this.far) return;
    this.far = far;
    this.cy.style(far ? STYLE_FAR : STYLE);
  }

  /** Makes the drawing match `model`: removes, adds and restyles only what differs. */
  update(model: GraphModel): void {
    const cy = this.cy;
    const nodes = new Map(model.nodes.map((n) => [n.id, n]));
    const edges = new Map(model.edges.map((e) => [e.id, e]));
    let structural = false;
    cy.batch(() => {
      // What is gone, or has moved to another parent (or another end, for an edge), is removed.
      let doomed = cy.collection();
      for (const [id, p] of this.placed) {
        const edge = id.startsWith('~');
        const want = edge ? edges.get(id.slice(1)) : nodes.get(id);
        const where = want && ('source' in want ? `${want.source}>${want.target}` : want.parent);
        if (!want || where !== p.parent) doomed = doomed.union(cy.getElementById(edge ? id.slice(1) : id));
      }
      if (doomed.nonempty()) {
        structural = true;
        // A removed compound takes its children with it, and a removed node its edges: they are added again below.
        doomed.nodes().union(doomed.nodes().descendants()).forEach((n) => this.remember(n));
        cy.remove(doomed);
        for (const id of [...this.placed.keys()]) {
          if (cy.getElementById(id.startsWith('~') ? id.slice(1) : id).empty()) this.placed.delete(id);
        }
      }
      const added: NodeSingular[] = [];
      for (const n of orderedParentsFirst(model.nodes)) {
        const sig = `${n.label}|${n.classes.join(' ')}`;
        const p = this.placed.get(n.id);
        if (!p) {
          // Before the first layout, spread out: nodes on one spot make edges that cannot be measured.
          const ele = cy.add({ ...nodeElement(n), ...(this.laidOut ? {} : { position: { x: Math.random() * 800, y: Math.random() * 800 } }) });
          added.push(ele);
          this.placed.set(n.id, { sig, parent: n.parent });
        } else if (p.sig !== sig) {
          cy.getElementById(n.id).data('label', n.label).classes(n.classes);
          p.sig = sig;
        }
      }
      for (const e of model.edges) {
        const sig = `${e.label}|${e.classes.join(' ')}`;
        const p = this.placed.get(`~${e.id}`);
        if (!p) {
          cy.add(edgeElement(e));
          this.placed.set(`~${e.id}`, { sig, parent: `${e.source}>${e.target}` });
        } else if (p.sig !== sig) {
          cy.getElementById(e.id).data('label', e.label).classes(e.classes);
          p.sig = sig;
        }
      }
      if (added.length) {
        structural = true;
        if (this.laidOut) for (const n of added) this.placeNear(n);
      }
    });
    if (!this.laidOut && model.nodes.length > 0) this.layout(true);
    else if (structural) this.scheduleLayout();
  }

  /** Lays the whole graph out again: from scratch, or refining the current positions. */
  layout(fromScratch = false): void {
    if (this.layoutTimer) clearTimeout(this.layoutTimer);
    this.layoutTimer = null;
    const n = this.cy.nodes().length;
    if (n === 0) return;
    const t0 = performance.now();
    const stop = (): void => { if (!this.userMoved) this.fit(); };
    if (this.cy.nodes('.group').nonempty()) this.cy.layout(concentricOptions(this.cy, !fromScratch && n < ANIMATE_BELOW, stop)).run();
    else {
      this.cy.layout({
        name: 'fcose', quality: 'default', randomize: fromScratch,
        animate: !fromScratch && n < ANIMATE_BELOW, animationDuration: 300, fit: fromScratch, padding: 16,
        nodeDimensionsIncludeLabels: true, packComponents: false, nodeRepulsion: 3000, idealEdgeLength: 45,
        nestingFactor: 0.1, gravity: 0.5, gravityCompound: 2, gravityRangeCompound: 1.2,
        tilingPaddingVertical: 6, tilingPaddingHorizontal: 6, stop,
      } as cytoscape.LayoutOptions).run();
    }
    this.laidOut = true;
    this.layouts = { count: this.layouts.count + 1, lastMs: performance.now() - t0 };
  }

  fit(): void {
    this.userMoved = false;
    this.cy.fit(undefined, 16);
  }

  zoomBy(factor: number): void {
    const cy = this.cy;
    this.userMoved = true;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  select(id: string | null): void {
    this.cy.$(':selected').unselect();
    if (id) this.cy.getElementById(id).select();
  }

  /** Centres a node in view without changing the zoom. */
  reveal(id: string): void {
    const ele = this.cy.getElementById(id);
    if (ele.nonempty()) this.cy.center(ele);
  }

  /** Where a node is drawn, in page (client) coordinates: its box, and a point on it that a click picks it at; null if it is not drawn or not in view. */
  clientBox(id: string): { x: number; y: number; width: number; height: number; click: { x: number; y: number } } | null {
    const ele = this.cy.getElementById(id);
    if (ele.empty() || !ele.isNode()) return null;
    const box = this.cy.container()!.getBoundingClientRect();
    const bb = ele.renderedBoundingBox({ includeLabels: false, includeOverlays: false });
    // A compound's middle is covered by its children: aim at its padding, just inside its top edge.
    const click = { x: box.left + (bb.x1 + bb.x2) / 2, y: box.top + (ele.isParent() ? bb.y1 + 3 : (bb.y1 + bb.y2) / 2) };
    if (click.x < box.left || click.x > box.right || click.y < box.top || click.y > box.bottom) return null;
    return { x: box.left + bb.x1, y: box.top + bb.y1, width: bb.w, height: bb.h, click };
  }

  /** Draws now instead of at the next animation frame (the benchmark times a whole update with its drawing). */
  renderNow(): void {
    (this.cy as unknown as { renderer(): { render(): void } }).renderer().render();
  }

  /** The container changed size: keep drawing at its size, and keep the whole graph in view until the user moved it. */
  resize(): void {
    this.cy.resize();
    if (!this.userMoved && this.laidOut) this.fit();
  }

  private scheduleLayout(): void {
    if (this.layoutTimer) clearTimeout(this.layoutTimer);
    if (this.cy.nodes().length >= ANIMATE_BELOW) return;
    this.layoutTimer = setTimeout(() => this.layout(false), RELAYOUT_AFTER_MS);
  }

  private remember(n: NodeSingular): void {
    if (n.isParent()) return; // a compound's place is its children's
    this.remembered.delete(n.id());
    this.remembered.set(n.id(), { ...n.position() });
    if (this.remembered.size > REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
  }

  /** A first place for a new node: where it was before, or beside what it relates to. */
  private placeNear(n: NodeSingular): void {
    const back = this.remembered.get(n.id());
    if (back) {
      n.position(back);
      return;
    }
    const jitter = (): number => (Math.random() - 0.5) * 20;
    const parent = n.parent();
    const from = n.incomers().nodes().filter((x) => !x.isParent()).nodes().first();
    if (from.nonempty()) {
      const p = from.position();
      n.position({ x: p.x + 30 + jitter(), y: p.y + 34 + jitter() });
    } else if (parent.nonempty() && parent.children().length > 1) {
      const bb = parent.boundingBox({ includeLabels: false });
      n.position({ x: bb.x1 + 40 + jitter(), y: bb.y2 + 10 });
    } else {
      const bb = this.cy.elements().boundingBox({ includeLabels: false });
      n.position({ x: bb.x2 + 80, y: (bb.y1 + bb.y2) / 2 + jitter() * 4 });
    }
  }
}

/** Processes on each ring of the grouped view at most. */
const RING = 24;

/**
 * The grouped view (one node per process): Cytoscape's concentric layout,
 * the most connected processes (the services everyone holds a capability
 * to) in the middle, the others on rings around them, in pid order, never
 * over each other. A spring layout keeps overlapping some of a hundred
 * processes around one hub, and moves them all at every change.
 */
function concentricOptions(cy: Core, animate: boolean, stop: () => void): cytoscape.LayoutOptions {
  const n = cy.nodes().length;
  // Rank by degree, then by pid; each ring takes RING of the same degree band.
  const ranked = cy.nodes().sort((a, b) => b.degree(false) - a.degree(false) || pidOf(a) - pidOf(b));
  const value = new Map<string, number>();
  ranked.forEach((node, i) => { value.set(node.id(), n - i); });
  return {
    name: 'concentric', concentric: (node: NodeSingular) => value.get(node.id()) ?? 0,
    levelWidth: () => RING - 0.5, avoidOverlap: true, minNodeSpacing: 14, nodeDimensionsIncludeLabels: true,
    startAngle: 1.5 * Math.PI, animate,
    animationDuration: 300, fit: false, padding: 16, stop,
  } as cytoscape.LayoutOptions;
}

const pidOf = (node: NodeSingular): number => (node.id().startsWith('p') ? Number(node.id().slice(1)) : Infinity);

function nodeElement(n: GraphNode): ElementDefinition {
  return { group: 'nodes', data: { id: n.id, label: n.label, kind: n.kind, ...(n.parent ? { parent: n.parent } : {}) }, classes: n.classes };
}

function edgeElement(e: GraphEdge): ElementDefinition {
  return { group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: e.label, kind: e.kind }, classes: e.classes };
}

/** Compound parents before the nodes inside them. */
function orderedParentsFirst(nodes: GraphNode[]): GraphNode[] {
  return [...nodes.filter((n) => n.parent === null), ...nodes.filter((n) => n.parent !== null)];
}
