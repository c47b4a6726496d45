// The replayable kernel state: process table, CSpaces with their derivation
// tree, endpoints. `apply` is the only code that changes it, and both the
// live kernel and replay call it, so replay gives the live state by
// construction. Everything else the kernel keeps (queues, waits, consoles,
// counters) is runtime state outside the hash (ABI §7).

import type { Commit } from './commits.ts';

export type ProcessStatus = 'alive' | 'exited' | 'faulted';

export interface Cap {
  id: number;
  type: number;
  object: number;
  perms: number;
  // Where it lives: a CSpace slot, or null while a SEND_CAP message carries it.
  pid: number | null;
  slot: number;
  parent: Cap | null;
  children: Set<Cap>;
  pinned: boolean; // in flight in a SEND_CAP message: kept in the tree until it lands
  revokedInFlight: boolean; // the live kernel's note that it must not land
}

export interface ProcessRecord {
  pid: number;
  parent: number;
  name: string;
  status: ProcessStatus;
  exitCode: number | null;
  fault: { reason: string; description: string } | null;
  cspace: Map<number, Cap>;
}

export interface EndpointRecord {
  id: number;
  owner: number;
}

export class KernelState {
  readonly procs = new Map<number, ProcessRecord>();
  readonly endpoints = new Map<number, EndpointRecord>();
  readonly caps = new Map<number, Cap>(); // every resident capability by id
  /**
   * Capabilities out of every CSpace but still in the derivation tree:
   * deleted ones with something derived from them (a revoke from above must
   * still reach it), and moved ones in flight (pinned until they land, so
   * they keep their descendants and their own place).
   */
  readonly tombstones = new Map<number, Cap>();
  nextPid = 0;
  nextCapId = 1;
  nextEndpointId = 1;

  apply(c: Commit): void {
    // The field names and kinds of each type are fixed by COMMIT_FIELDS.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const f = c.fields as Record<string, any>;
    switch (c.type) {
      case 'Genesis':
      case 'MessageSent': // metadata only: queues are runtime state
        return;
      case 'ProcessCreated':
        this.procs.set(f.pid, {
          pid: f.pid, parent: f.parent, name: f.name, status: 'alive',
          exitCode: null, fault: null, cspace: new Map(),
        });
        this.nextPid = Math.max(this.nextPid, f.pid + 1);
        return;
      case 'ProcessExited': {
        const p = this.proc(f.pid);
        p.status = 'exited';
        p.exitCode = f.code;
        return;
      }
      case 'ProcessFaulted': {
        const p = this.proc(f.pid);
        p.status = 'faulted';
        p.fault = { reason: f.reason, description: f.description };
        return;
      }
      case 'CapInserted':
        this.insert(f.pid, f.slot, f.cap_id, f.type, f.object_id, f.perms,
          f.parent ? this.caps.get(f.parent) ?? this.tombstones.get(f.parent) ?? null : null);
        return;
      case 'CapGranted': {
        const src = this.capAt(f.from_pid, f.from_slot);
        this.insert(f.to_pid, f.to_slot, f.new_cap_id, src.type, src.object, f.perms, src);
        return;
      }
      case 'CapRemoved':
        this.remove(this.capAt(f.pid, f.slot), f.moving === 1);
        return;
      case 'EndpointCreated':
        this.endpoints.set(f.id, { id: f.id, owner: f.owner });
        this.nextEndpointId = Math.max(this.nextEndpointId, f.id + 1);
        return;
      case 'EndpointDestroyed':
        this.endpoints.delete(f.id);
        return;
    }
  }

  proc(pid: number): ProcessRecord {
    const p = this.procs.get(pid);
    if (!p) throw new Error(`commit names unknown pid ${pid}`);
    return p;
  }

  capAt(pid: number, slot: number): Cap {
    const cap = this.proc(pid).cspace.get(slot);
    if (!cap) throw new Error(`commit names empty slot ${slot} of pid ${pid}`);
    return cap;
  }

  /** Puts a capability into a slot; one that lands from flight takes up its old place. */
  private insert(pid: number, slot: number, id: number, type: number, object: number,
    perms: number, parent: Cap | null): void {
    const cspace = this.proc(pid).cspace;
    if (cspace.has(slot)) throw new Error(`commit fills occupied slot ${slot} of pid ${pid}`);
    let cap = this.tombstones.get(id);
    if (cap) {
      this.tombstones.delete(id);
      Object.assign(cap, { pid, slot, pinned: false, revokedInFlight: false });
    } else {
      cap = { id, type, object, perms, pid, slot, parent, children: new Set(), pinned: false, revokedInFlight: false };
      parent?.children.add(cap);
    }
    cspace.set(slot, cap);
    this.caps.set(id, cap);
    this.nextCapId = Math.max(this.nextCapId, id + 1);
  }

  /**
   * Takes a capability out of its CSpace. It stays in the derivation tree
   * as a tombstone while something hangs below it (deleting a capability
   * must not free what was derived from it from a revoke further up, ABI §3
   * DELETE) or while it travels in a message; otherwise it leaves the tree.
   */
  private remove(cap: Cap, moving: boolean): void {
    this.proc(cap.pid!).cspace.delete(cap.slot);
    this.caps.delete(cap.id);
    cap.pid = null;
    cap.slot = -1;
    cap.pinned = moving;
    this.tombstones.set(cap.id, cap);
    this.prune(cap);
  }

  /** Drops tombstones that nothing hangs below any more, up the tree. */
  private prune(node: Cap | null): void {
    while (node && node.pid === null && !node.pinned && node.children.size === 0) {
      this.tombstones.delete(node.id);
      const up = node.parent;
      up?.children.delete(node);
      node.parent = null;
      node = up;
    }
  }

  /** The canonical text of the state, in a fixed order; its SHA-256 is the state hash. */
  canonical(): string {
    const procs = [...this.procs.values()].sort((a, b) => a.pid - b.pid).map((p) => [
      p.pid, p.parent, p.name, p.status, p.exitCode, p.fault?.reason ?? null,
      [...p.cspace.values()].sort((a, b) => a.slot - b.slot)
        .map((c) => [c.slot, c.id, c.type, c.object, c.perms, c.parent?.id ?? 0]),
    ]);
    const eps = [...this.endpoints.values()].sort((a, b) => a.id - b.id).map((e) => [e.id, e.owner]);
    return JSON.stringify({ procs, eps });
  }
}
