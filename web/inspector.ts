// The capability inspector: every live process's CSpace (slot, type,
// object, rights, where it was derived from), every endpoint with its owner,
// queue depth and holders, and the derivation tree as a nested list. The
// form on top grants, derives, revokes and deletes on a process's behalf
// (kernel-acts.ts): those go through the kernel's own handlers and show up
// in both logs. Clicking a capability fills the form with it.
//
// The lists are rebuilt only when something they show changed (a commit, a
// queue depth), at most at the refresh rate, and never while a pointer is
// pressed in the panel, so a click always lands on the button it started on.
//
// Everything shown comes from the state source: the live system, or the
// state at the commit the timeline is on; then the acts are off.

import * as A from '../kernel/abi.ts';
import type { CapInfo, EndpointInfo, ProcessInfo } from '../kernel/view.ts';
import { objectTypeName, permsString } from '../kernel/names.ts';
import { askFirst } from './confirm-dialog.ts';
import { h, parseUint, replaceChildren, setText } from './dom.ts';
import * as acts from './kernel-acts.ts';
import type { Panel } from './panel.ts';
import { PastNote } from './past-note.ts';
import type { Session } from './session.ts';
import { removalImpact, type Removal } from './system-impact.ts';
import type { StateSource } from './state-source.ts';

function permsPicker(name: string, initial: number): { element: HTMLElement; value(): number } {
  const boxes = [A.PERM_READ, A.PERM_WRITE, A.PERM_GRANT].map((bit) =>
    h('input', { type: 'checkbox', value: bit, checked: (initial & bit) !== 0, 'aria-label': `${name} ${permsString(bit).replace(/-/g, '')}` }));
  const labels = ['r', 'w', 'g'];
  return {
    element: h('span', { class: 'perms-picker' },
      ...boxes.map((b, i) => h('label', { class: 'check', title: ['read', 'write', 'grant'][i] }, b, labels[i]!))),
    value: () => boxes.reduce((n, b) => (b.checked ? n | Number(b.value) : n), 0),
  };
}

export class Inspector implements Panel {
  readonly element: HTMLElement;
  private readonly pid = h('input', { type: 'text', inputmode: 'numeric', size: 4, name: 'pid', 'aria-label': 'pid' });
  private readonly slot = h('input', { type: 'text', inputmode: 'numeric', size: 4, name: 'slot', 'aria-label': 'slot' });
  private readonly toPid = h('input', { type: 'text', inputmode: 'numeric', size: 4, name: 'to-pid', 'aria-label': 'to pid' });
  private readonly grantPerms = permsPicker('grant', A.PERM_READ | A.PERM_WRITE);
  private readonly derivePerms = permsPicker('derive', A.PERM_READ);
  private readonly result = h('div', { class: 'form-result', role: 'status', 'data-testid': 'inspector-result' },
    h('span', { class: 'hint' }, 'Each act runs the kernel’s own handler for that process and is logged with by 0.'));
  private readonly filter = h('input', { type: 'text', inputmode: 'numeric', size: 5, placeholder: 'all', 'aria-label': 'show pid' });
  private readonly cspaces = h('div', { class: 'cspaces' });
  private readonly endpoints = h('div');
  private readonly tree = h('div', { class: 'tree' });
  private readonly pastNote: PastNote;
  private readonly actButtons: HTMLButtonElement[] = [];
  private signature = '';
  private pointerDown = false;
  private names = new Map<number, string>(); // pid → name, as of the last update
  private owners = new Map<number, number>(); // endpoint → owner pid, as of the last update

  constructor(private readonly session: Session, private readonly source: StateSource, private readonly changed: () => void) {
    this.pastNote = new PastNote(source);
    const button = (label: string, title: string, run: () => acts.ActResult | null, cls = 'btn', removal?: Removal) => {
      const b = h('button', { class: cls, type: 'button', title }, label);
      b.addEventListener('click', () => void this.runChecked(removal, run));
      this.actButtons.push(b);
      return b;
    };
    const form = h('div', { class: 'act-form' },
      h('div', { class: 'form-row' },
        h('label', {}, 'pid ', this.pid), h('label', {}, 'slot ', this.slot),
        h('span', { class: 'hint' }, 'click a capability below to pick it')),
      h('div', { class: 'form-row' },
        button('Grant', 'CAP_GRANT: a copy in another process, rights ∩ these (needs grant on the slot)',
          () => this.withTarget((pid, slot) => {
            const to = parseUint(this.toPid.value);
            return to === null ? null : acts.grant(this.session, pid, slot, to, this.grantPerms.value());
          })),
        h('label', {}, 'to pid ', this.toPid), this.grantPerms.element),
      h('div', { class: 'form-row' },
        button('Derive', 'CAP_DERIVE: a weaker copy in a new slot of the same process',
          () => this.withTarget((pid, slot) => acts.derive(this.session, pid, slot, this.derivePerms.value()))),
        this.derivePerms.element),
      h('div', { class: 'form-row' },
        button('Revoke derived', 'CAP_REVOKE: removes every capability derived or granted from this one (needs grant); the slot stays',
          () => this.withTarget((pid, slot) => acts.revokeDerived(this.session, pid, slot)), 'btn', 'revoke-derived'),
        button('Revoke', 'removes this capability and everything derived from it; the holder gets MSG_CAP_REVOKED',
          () => this.withTarget((pid, slot) => acts.revokeHolder(this.session, pid, slot)), 'btn danger', 'revoke'),
        button('Delete', 'CAP_DELETE: empties the slot without notice; what was derived from it stays',
          () => this.withTarget((pid, slot) => acts.deleteCap(this.session, pid, slot)), 'btn', 'delete')),
      this.result);
    const filterRow = h('div', { class: 'toolbar' }, h('label', {}, 'Show pid ', this.filter),
      h('span', { class: 'hint' }, 'empty: every live process'));
    this.filter.addEventListener('input', () => { this.signature = ''; this.update(); });
    this.element = h('div', { class: 'panel inspector' },
      this.pastNote.element,
      h('h3', {}, 'Act on a capability'), form,
      h('h3', {}, 'Capability spaces'), filterRow, this.cspaces,
      h('h3', {}, 'Endpoints'), this.endpoints,
      h('h3', {}, 'Derivation tree'), this.tree);
    this.element.addEventListener('pointerdown', () => { this.pointerDown = true; });
    addEventListener('pointerup', () => { this.pointerDown = false; });
    this.cspaces.addEventListener('click', (e) => this.onCapClick(e));
    this.tree.addEventListener('click', (e) => this.onCapClick(e));
  }

  update(): void {
    if (this.pointerDown) return;
    const k = this.source.current;
    const eps = k.endpoints();
    const signature = `${k.live}|${k.where}|${k.seq}|${eps.map((e) => e.queued).join(',')}|${this.filter.value}`;
    if (signature === this.signature) return;
    this.signature = signature;
    this.pastNote.update();
    for (const b of this.actButtons) b.disabled = !k.live;
    this.element.classList.toggle('past', !k.live);
    const caps = k.caps();
    const procs = k.processes();
    this.names = new Map(procs.map((p) => [p.pid, p.name]));
    this.owners = new Map(eps.map((e) => [e.id, e.owner]));
    this.renderCSpaces(caps, procs);
    this.renderEndpoints(eps);
    this.renderTree(caps);
  }

  /** Fills the form with a capability (used by clicks and by the page API's tests). */
  pick(pid: number, slot: number): void {
    this.pid.value = String(pid);
    this.slot.value = String(slot);
    for (const tr of this.element.querySelectorAll('.picked')) tr.classList.remove('picked');
    this.element.querySelector(`[data-cap="${pid}:${slot}"]`)?.classList.add('picked');
  }

  private onCapClick(e: Event): void {
    const target = e.target as HTMLElement;
    const el = target.closest<HTMLElement>('[data-cap]');
    if (!el) return;
    const [pid, slot] = el.dataset.cap!.split(':').map(Number) as [number, number];
    if (target.closest('button.revoke')) {
      this.pick(pid, slot);
      void this.runChecked('revoke', () => acts.revokeHolder(this.session, pid, slot));
    } else this.pick(pid, slot);
  }

  /** Runs an act that removes a capability, after asking when it would break the system (system-impact.ts). */
  private async runChecked(removal: Removal | undefined, act: () => acts.ActResult | null): Promise<void> {
    if (!this.source.live) return this.run(act); // which says that acts change only the live system
    const pid = parseUint(this.pid.value);
    const slot = parseUint(this.slot.value);
    const impact = removal && pid !== null && slot !== null ? removalImpact(this.session.view, pid, slot, removal) : null;
    if (impact && !(await askFirst(impact))) {
      setText(this.result, 'Cancelled: nothing was changed.');
      this.result.className = 'form-result';
      this.pointerDown = false;
      return;
    }
    this.run(act);
  }

  private withTarget(act: (pid: number, slot: number) => acts.ActResult | null): acts.ActResult | null {
    const pid = parseUint(this.pid.value);
    const slot = parseUint(this.slot.value);
    if (pid === null || slot === null) return null;
    return act(pid, slot);
  }

  private run(act: () => acts.ActResult | null): void {
    if (!this.source.live) {
      setText(this.result, 'Viewing a past commit: acts change the live system. Press Live first.');
      this.result.className = 'form-result bad';
      return;
    }
    const r = act();
    if (!r) {
      setText(this.result, 'Fill in the pid and slot (and the target pid for a grant) as numbers.');
      this.result.className = 'form-result bad';
      return;
    }
    setText(this.result, r.text);
    this.result.className = `form-result ${r.ok ? 'ok' : 'bad'}`;
    this.signature = '';
    this.pointerDown = false;
    this.update();
    this.changed();
  }

  /** What a capability names; a narrow column wraps it only at the "·" (no-break spaces inside each part). */
  private objectText(type: number, object: number): string {
    if (type === A.OBJ_ENDPOINT) {
      const owner = this.owners.get(object);
      return owner !== undefined ? `endpoint\u00a0${object} · owner\u00a0${owner}` : `endpoint\u00a0${object} (gone)`;
    }
    if (type === A.OBJ_PROCESS) return `pid\u00a0${object} · ${this.names.get(object) ?? '?'}`;
    return `${objectTypeName(type).toLowerCase()}\u00a0${object}`;
  }

  private renderCSpaces(caps: CapInfo[], all: ProcessInfo[]): void {
    const only = parseUint(this.filter.value);
    const byId = new Map(caps.map((c) => [c.id, c]));
    const procs = all
      .filter((p) => p.status === 'alive' && p.pid !== A.PID_SUPERVISOR && (only === null || p.pid === only))
      .sort((a, b) => a.pid - b.pid);
    const blocks = procs.map((p) => {
      const mine = caps.filter((c) => c.pid === p.pid).sort((a, b) => a.slot - b.slot);
      const rows = mine.map((c) => {
        const parent = c.parent ? byId.get(c.parent) : undefined;
        const from = !c.parent ? 'root' : parent ? `#${c.parent} (pid ${parent.pid} slot ${parent.slot})` : `#${c.parent}`;
        return h('tr', { 'data-cap': `${c.pid}:${c.slot}`, 'data-testid': `cap-row-${c.pid}-${c.slot}`, title: 'click to pick' },
          h('td', { class: 'num' }, c.slot), h('td', {}, objectTypeName(c.type).toLowerCase()),
          h('td', { class: 'wrap' }, this.objectText(c.type, c.object)), h('td', {}, h('code', {}, permsString(c.perms))),
          h('td', { class: 'num' }, `#${c.id}`), h('td', { class: 'dim wrap' }, from),
          h('td', { class: 'act' }, h('button', {
            class: 'btn danger small revoke', type: 'button', 'data-testid': `revoke-${c.pid}-${c.slot}`,
            title: 'revoke this capability (and all derived from it); the holder is told', disabled: !this.source.live,
          }, 'revoke')));
      });
      return h('details', { class: 'cspace', open: true, 'data-testid': `cspace-${p.pid}` },
        h('summary', {}, h('strong', {}, `pid ${p.pid}`), ` ${p.name} `, h('span', { class: 'dim' }, `${mine.length} capabilities`)),
        mine.length === 0 ? h('p', { class: 'dim' }, 'empty') : h('table', { class: 'grid caps' },
          h('thead', {}, h('tr', {}, ...['Slot', 'Type', 'Object', 'Rights', 'Id', 'Derived from'].map((t) => h('th', {}, t)),
            h('th', { class: 'act' }))),
          h('tbody', {}, ...rows)));
    });
    // Keep the open/closed state of each process across rebuilds.
    const closed = new Set([...this.cspaces.querySelectorAll<HTMLDetailsElement>('details.cspace:not([open])')].map((d) => d.dataset.testid));
    for (const b of blocks) if (closed.has(b.dataset.testid)) b.open = false;
    replaceChildren(this.cspaces, ...(blocks.length ? blocks : [h('p', { class: 'dim' }, 'No such live process.')]));
    const picked = `${this.pid.value}:${this.slot.value}`;
    this.cspaces.querySelector(`[data-cap="${picked}"]`)?.classList.add('picked');
  }

  private renderEndpoints(eps: EndpointInfo[]): void {
    const rows = eps.sort((a, b) => a.id - b.id).map((e) => h('tr', { 'data-endpoint': e.id },
      h('td', { class: 'num' }, e.id),
      h('td', {}, `pid ${e.owner} · ${this.names.get(e.owner) ?? '?'}`),
      h('td', { class: `num${e.queued > 0 ? ' hot' : ''}` }, e.queued),
      h('td', {}, ...e.holders.sort((a, b) => a.pid - b.pid || a.slot - b.slot).map((x) =>
        h('span', { class: 'holder', title: `pid ${x.pid} slot ${x.slot}` }, `${x.pid}:${x.slot} `, h('code', {}, permsString(x.perms)))))));
    replaceChildren(this.endpoints, h('table', { class: 'grid endpoints', 'data-testid': 'endpoint-table' },
      h('thead', {}, h('tr', {}, ...['Id', 'Owner', 'Queue', 'Holders (pid:slot rights)'].map((t) => h('th', {}, t)))),
      h('tbody', {}, ...rows)));
  }

  private renderTree(caps: CapInfo[]): void {
    const byId = new Map(caps.map((c) => [c.id, c]));
    const children = new Map<number, CapInfo[]>();
    const roots: CapInfo[] = [];
    for (const c of caps) {
      if (c.parent && byId.has(c.parent)) {
        const list = children.get(c.parent) ?? [];
        list.push(c);
        children.set(c.parent, list);
      } else roots.push(c);
    }
    const node = (c: CapInfo, depth: number): HTMLElement => {
      const kids = (children.get(c.id) ?? []).sort((a, b) => a.id - b.id);
      return h('li', {},
        h('span', { class: 'node', 'data-cap': `${c.pid}:${c.slot}`, title: 'click to pick' },
          h('code', { class: 'dim' }, `#${c.id}`), ` pid ${c.pid} (${this.names.get(c.pid) ?? '?'}) slot ${c.slot} · `,
          this.objectText(c.type, c.object), ' ', h('code', {}, permsString(c.perms))),
        kids.length && depth < 32 ? h('ul', {}, ...kids.map((x) => node(x, depth + 1))) : null);
    };
    // Only roots that have something derived from them make the tree interesting; list the rest compactly.
    const branching = roots.filter((r) => children.has(r.id)).sort((a, b) => a.id - b.id);
    const lone = roots.length - branching.length;
    replaceChildren(this.tree,
      branching.length ? h('ul', { 'data-testid': 'derivation-tree' }, ...branching.map((r) => node(r, 0)))
        : h('p', { class: 'dim' }, 'Nothing is derived from anything yet.'),
      lone ? h('p', { class: 'dim' }, `${lone} more root capabilities with nothing derived from them.`) : null);
  }
}
