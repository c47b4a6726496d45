// The replayable kernel state: process table, CSpaces with their derivation
// tree, endpoints. `apply` is the only code that changes it, and both the
// live kernel and replay call it, so replay gives the live state by
// construction. Everything else the kernel keeps (queues, waits, consoles,
// counters) is runtime state outside the hash (ABI §7).

import type { Commit } from './commits.ts';
import { type Cap, capAt, insertCap, removeCap } from './cspace.ts';
import { leaseEnd } from './rights.ts';

export type ProcessStatus = 'alive' | 'exited' | 'faulted';

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

/**
 * The whole replayable state as plain data: the process table, the
 * endpoints, and every node of the derivation tree (resident capabilities
 * and tombstones, parents before children), enough to rebuild the state
 * exactly. Checkpoints and the timeline's snapshots are these.
 */
export interface StateSnapshot {
  procs: [pid: number, parent: number, name: string, status: ProcessStatus, exitCode: number | null,
    fault: { reason: string; description: string } | null][];
  endpoints: [id: number, owner: number][];
  caps: [id: number, type: number, object: number, perms: number, pid: number | null, slot: number,
    parent: number, pinned: boolean, expires: number][];
  next: [pid: number, capId: number, endpointId: number];
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
    switch (c.type) {
      case 'Genesis':
      case 'MessageSent': // metadata only: queues are runtime state
        return;
      case 'ProcessCreated': {
        const f = c.fields;
        this.procs.set(f.pid, {
          pid: f.pid, parent: f.parent, name: f.name, status: 'alive', exitCode: null, fault: null, cspace: new Map(),
        });
        this.nextPid = Math.max(this.nextPid, f.pid + 1);
        return;
      }
      case 'ProcessExited': {
        const p = this.proc(c.fields.pid);
        p.status = 'exited';
        p.exitCode = c.fields.code;
        return;
      }
      case 'ProcessFaulted': {
        const p = this.proc(c.fields.pid);
        p.status = 'faulted';
        p.fault = { reason: c.fields.reason, description: c.fields.description };
        return;
      }
      case 'CapInserted': {
        const f = c.fields;
        const parent = f.parent ? this.caps.get(f.parent) ?? this.tombstones.get(f.parent) ?? null : null;
        insertCap(this, f.pid, f.slot, { id: f.cap_id, type: f.type, object: f.object_id, perms: f.perms, parent, expires: 0 });
        return;
      }
      case 'CapGranted': {
        const f = c.fields;
        const src = capAt(this, f.from_pid, f.from_slot);
        // A copy lives no longer than its source (rights.ts rule 10).
        insertCap(this, f.to_pid, f.to_slot, {
          id: f.new_cap_id, type: src.type, object: src.object, perms: f.perms, parent: src, expires: src.expires,
        });
        return;
      }
      case 'CapRemoved':
        removeCap(this, capAt(this, c.fields.pid, c.fields.slot), c.fields.moving === 1);
        return;
      case 'CapLeased': {
        const cap = capAt(this, c.fields.pid, c.fields.slot);
        cap.expires = leaseEnd(cap.expires, c.fields.expires);
        return;
      }
      case 'CapExpired':
        removeCap(this, capAt(this, c.fields.pid, c.fields.slot), false);
        return;
      case 'EndpointCreated':
        this.endpoints.set(c.fields.id, { id: c.fields.id, owner: c.fields.owner });
        this.nextEndpointId = Math.max(this.nextEndpointId, c.fields.id + 1);
        return;
      case 'EndpointDestroyed':
        this.endpoints.delete(c.fields.id);
        return;
    }
  }

  snapshot(): StateSnapshot {
    const nodes = [...this.caps.values(), ...this.tombstones.values()].sort((a, b) => a.id - b.id);
    return {
      procs: [...this.procs.values()].map((p) => [p.pid, p.parent, p.name, p.status, p.exitCode, p.fault && { ...p.fault }]),
      endpoints: [...this.endpoints.values()].map((e) => [e.id, e.owner]),
      // A parent is older than its children, so by id it comes first.
      caps: nodes.map((c) => [c.id, c.type, c.object, c.perms, c.pid, c.slot, c.parent?.id ?? 0, c.pinned, c.expires]),
      next: [this.nextPid, this.nextCapId, this.nextEndpointId],
    };
  }

  /** The state a snapshot describes; throws on one that is not self-consistent. */
  static restore(s: StateSnapshot): KernelState {
    const state = new KernelState();
    for (const [pid, parent, name, status, exitCode, fault] of s.procs) {
      state.procs.set(pid, { pid, parent, name, status, exitCode, fault: fault && { ...fault }, cspace: new Map() });
    }
    for (const [id, owner] of s.endpoints) state.endpoints.set(id, { id, owner });
    const byId = new Map<number, Cap>();
    for (const [id, type, object, perms, pid, slot, parentId, pinned, expires] of s.caps) {
      const parent = parentId ? byId.get(parentId) : null;
      if (parent === undefined) throw new Error(`snapshot: capability ${id} comes before its parent ${parentId}`);
      const cap: Cap = { id, type, object, perms, pid, slot, parent, children: new Set(), pinned, expires };
      parent?.children.add(cap);
      byId.set(id, cap);
      if (pid === null) state.tombstones.set(id, cap);
      else {
        state.proc(pid).cspace.set(slot, cap);
        state.caps.set(id, cap);
      }
    }
    [state.nextPid, state.nextCapId, state.nextEndpointId] = s.next;
    return state;
  }

  proc(pid: number): ProcessRecord {
    const p = this.procs.get(pid);
    if (!p) throw new Error(`commit names unknown pid ${pid}`);
    return p;
  }

  /** The canonical text of the state, in a fixed order; its SHA-256 is the state hash. */
  canonical(): string {
    const procs = [...this.procs.values()].sort((a, b) => a.pid - b.pid).map((p) => [
      p.pid, p.parent, p.name, p.status, p.exitCode, p.fault?.reason ?? null,
      [...p.cspace.values()].sort((a, b) => a.slot - b.slot)
        // A lease's end is part of the state; a capability without one hashes as it always did.
        .map((c) => [c.slot, c.id, c.type, c.object, c.perms, c.parent?.id ?? 0, ...(c.expires ? [c.expires] : [])]),
    ]);
    const eps = [...this.endpoints.values()].sort((a, b) => a.id - b.id).map((e) => [e.id, e.owner]);
    return JSON.stringify({ procs, eps });
  }
}
