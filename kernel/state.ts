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
