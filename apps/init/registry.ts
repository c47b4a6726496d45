// The service registry: names to endpoint ids, and who registered them.
//
// Init accepts a registration only from the endpoint's owner, and an
// endpoint ends only with its owner, so an entry is good exactly while its
// owner lives. Entries of ended owners stay until they are needed: the name
// can be taken again, and a registration that finds the registry full first
// drops them, so processes that register names and exit can't fill the
// registry for the rest of the boot.

import {
  E_EXIST, E_NOMEM, E_OK, lastError, listProcs, MAX_SERVICE_NAMES, MAX_SERVICE_NAMES_PER_OWNER,
} from "../../process-lib";

class Service {
  constructor(public endpointId: u64, public ownerPid: u32) {}
}

const services = new Map<string, Service>();

/**
 * Records `name`. A name stays with its registrant while that process lives;
 * after it is gone the name may be registered again (a restarted service).
 * One process may hold at most MAX_SERVICE_NAMES_PER_OWNER names, so no one
 * process can take the last of the MAX_SERVICE_NAMES (ABI §3 bounds).
 */
export function register(name: string, endpointId: u64, fromPid: u32): i32 {
  const current = services.has(name) ? services.get(name) : null;
  if (current != null && current.ownerPid == fromPid) {
    services.set(name, new Service(endpointId, fromPid)); // its own name, for another endpoint
    return E_OK;
  }
  if (current != null && isAlive(current.ownerPid)) return E_EXIST;
  if (namesOwnedBy(fromPid) >= MAX_SERVICE_NAMES_PER_OWNER) return E_NOMEM;
  if (current == null && services.size >= MAX_SERVICE_NAMES && dropEnded() == 0) return E_NOMEM;
  services.set(name, new Service(endpointId, fromPid));
  return E_OK;
}

function namesOwnedBy(pid: u32): i32 {
  const all = services.values();
  let count = 0;
  for (let i = 0; i < all.length; i++) if (all[i].ownerPid == pid) count++;
  return count;
}

/** The endpoint id registered for `name`, or 0 when there is none (endpoint ids start at 1). */
export function lookup(name: string): u64 {
  return services.has(name) ? services.get(name).endpointId : 0;
}

/** Drops the entries whose owner has ended; returns how many. */
function dropEnded(): i32 {
  const live = livePids();
  if (live == null) return 0; // can't tell who lives: keep every entry
  const names = services.keys();
  let dropped = 0;
  for (let i = 0; i < names.length; i++) {
    if (!live.has(services.get(names[i]).ownerPid)) {
      services.delete(names[i]);
      dropped++;
    }
  }
  return dropped;
}

// When LIST_PROCS fails, a process counts as alive: its name stays its own.
function isAlive(pid: u32): bool {
  const live = livePids();
  return live == null || live.has(pid);
}

/** The PIDs of the live processes (LIST_PROCS), or null when LIST_PROCS fails. */
function livePids(): Set<u32> | null {
  const procs = listProcs();
  if (lastError() != E_OK) return null;
  const pids = new Set<u32>();
  for (let i = 0; i < procs.length; i++) pids.add(procs[i].pid);
  return pids;
}
