// What an act from the panels would break, worked out from the kernel's
// view before it is done: revoking or deleting a capability of init (PID 1)
// or of the permission service (PID 2), or one to their endpoints, and
// killing either of them. The answer is said in the terms of the
// capability model (who loses which slot, and what they can no longer do),
// so the confirmation teaches as much as the act would.

import * as A from '../kernel/abi.ts';
import type { CapInfo, KernelView } from '../kernel/view.ts';

export interface Impact {
  /** One line: the act and that it breaks the system. */
  title: string;
  /** What breaks, one consequence per sentence. */
  consequences: string[];
  /** The label of the button that does it anyway. */
  confirm: string;
}

/** How a capability is removed: with everything derived from it, only what was derived from it, or alone. */
export type Removal = 'revoke' | 'revoke-derived' | 'delete';

const SYSTEM = new Set<number>([A.PID_INIT, A.PID_PERMISSION]);
const NAMES: Record<number, string> = { [A.PID_INIT]: 'init', [A.PID_PERMISSION]: 'the permission service' };

/** What removing (pid, slot) would break, or null when it breaks nothing of the system's. */
export function removalImpact(view: KernelView, pid: number, slot: number, how: Removal): Impact | null {
  const caps = view.caps();
  const cap = caps.find((c) => c.pid === pid && c.slot === slot);
  if (!cap) return null;
  const removed = how === 'delete' ? [cap] : subtree(caps, cap, how === 'revoke');
  const consequences = whatBreaks(view, removed);
  if (consequences.length === 0) return null;
  const holders = new Set(removed.map((c) => c.pid));
  const act = how === 'delete' ? `Delete pid ${pid}'s slot ${slot}`
    : how === 'revoke' ? `Revoke pid ${pid}'s slot ${slot} and everything derived from it`
      : `Revoke everything derived from pid ${pid}'s slot ${slot}`;
  return {
    title: `${act}? This breaks the system.`,
    consequences: [`It removes ${count(removed.length, 'capability', 'capabilities')} in ${count(holders.size, 'process', 'processes')}.`, ...consequences],
    confirm: how === 'delete' ? 'Delete anyway' : 'Revoke anyway',
  };
}

/** What killing `pid` would break, or null for a process the system does not need. */
export function killImpact(view: KernelView, pid: number): Impact | null {
  if (!SYSTEM.has(pid) || view.process(pid)?.status !== 'alive') return null;
  const owned = new Set(view.endpoints().filter((e) => e.owner === pid).map((e) => e.id));
  // Its endpoints are destroyed, and every capability to them goes (ABI §4, ending).
  const lost = view.caps().filter((c) => c.type === A.OBJ_ENDPOINT && owned.has(c.object) && c.pid !== pid);
  const consequences = whatBreaks(view, lost);
  consequences.unshift(pid === A.PID_INIT
    ? 'init ends, and nothing can start it again: it is the one process the supervisor takes spawn requests from.'
    : 'The permission service ends; nothing starts it again.');
  return { title: `Kill PID ${pid} (${NAMES[pid]})? This breaks the system.`, consequences, confirm: 'Kill anyway' };
}

/** The capability and (when `withRoot` is false, only) everything derived from it, transitively. */
function subtree(caps: CapInfo[], root: CapInfo, withRoot: boolean): CapInfo[] {
  const children = new Map<number, CapInfo[]>();
  for (const c of caps) if (c.parent) children.set(c.parent, [...(children.get(c.parent) ?? []), c]);
  const out: CapInfo[] = withRoot ? [root] : [];
  const stack = [...(children.get(root.id) ?? [])];
  while (stack.length > 0) {
    const c = stack.pop()!;
    out.push(c);
    stack.push(...(children.get(c.id) ?? []));
  }
  return out;
}

/** The consequences of losing these capabilities, for the system's services; empty when there are none. */
function whatBreaks(view: KernelView, removed: CapInfo[]): string[] {
  const out: string[] = [];
  const owner = new Map(view.endpoints().map((e) => [e.id, e.owner]));
  const initEndpoint = removed.filter((c) => c.type === A.OBJ_ENDPOINT && owner.get(c.object) === A.PID_INIT && c.pid !== A.PID_INIT);
  const slot2 = initEndpoint.filter((c) => c.slot === A.SLOT_INIT);
  const everyone = slot2.length > 0 && view.processes()
    .filter((p) => p.status === 'alive' && p.pid !== A.PID_SUPERVISOR && p.pid !== A.PID_INIT)
    .every((p) => slot2.some((c) => c.pid === p.pid));
  if (everyone) {
    out.push(`Every process's slot 2 goes (${count(slot2.length, 'process', 'processes')}): no one can reach init to spawn a program or to look up or register a service.`);
  } else if (slot2.length > 0) {
    out.push(`${pidList(slot2)} ${slot2.length === 1 ? 'loses' : 'lose'} slot 2, the only way to reach init: no more spawning programs or looking up services from there.`);
  }
  for (const c of removed.filter((x) => SYSTEM.has(x.pid))) {
    if (everyone && c.slot === A.SLOT_INIT) continue; // said above
    out.push(systemSlot(c, owner.get(c.object)));
  }
  const toPermission = removed.filter((c) => c.type === A.OBJ_ENDPOINT && owner.get(c.object) === A.PID_PERMISSION && c.pid !== A.PID_PERMISSION);
  if (toPermission.length > 0) {
    out.push(`${pidList(toPermission)} ${toPermission.length === 1 ? 'loses its' : 'lose their'} capability to the permission service: no more asking it for grants or revokes.`);
  }
  return out;
}

/** What a system process loses with one of its slots. */
function systemSlot(c: CapInfo, endpointOwner: number | undefined): string {
  const who = NAMES[c.pid]!;
  const whose = c.pid === A.PID_INIT ? 'Init' : 'The permission service';
  if (c.slot === A.SLOT_SELF && endpointOwner === c.pid) {
    return c.pid === A.PID_INIT
      ? 'Init loses its own endpoint (slot 0): it cannot receive any request, so nothing new can be started, granted or looked up.'
      : 'The permission service loses its endpoint (slot 0): no request for a grant or a revoke reaches it any more.';
  }
  if (c.slot === A.SLOT_INPUT) return `${whose} loses slot 1, its input: the next capability granted to it lands there instead.`;
  if (c.slot === A.SLOT_INIT) return `${whose} loses slot 2: it can no longer reach init.`;
  return `${who.charAt(0).toUpperCase()}${who.slice(1)} loses slot ${c.slot}.`;
}

function pidList(caps: CapInfo[]): string {
  const pids = [...new Set(caps.map((c) => c.pid))].sort((a, b) => a - b);
  return pids.length === 1 ? `PID ${pids[0]}` : `${pids.length} processes (PIDs ${pids.join(', ')})`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
