// The service registry: names to endpoint ids, and who registered them.
//
// Init accepts a registration only from the endpoint's owner, and an
// endpoint ends only with its owner, so an entry is good exactly while its
// owner lives. Entries of ended owners stay until they are needed: the name
// can be taken again, and a registration that finds the registry full first
// drops them, so processes that register names and exit can't fill the
// registry for the rest of the boot.

import { E_EXIST, E_NOMEM, E_OK, lastError, listProcs } from "../../process-lib";

const MAX_SERVICES = 64;

class Service {
  constructor(public endpointId: u64, public ownerPid: u32) {}
}

const services = new Map<string, Service>();

/**
 * Records `name`. A name stays with its registrant while that process lives;
 * after it is gone the name may be registered again (a restarted service).
 */
export function register(name: string, endpointId: u64, fromPid: u32): i32 {
  if (services.has(name)) {
    const current = services.get(name);
    if (current.ownerPid != fromPid && isAlive(current.ownerPid)) return E_EXIST;
  } else if (services.size >= MAX_SERVICES && dropEnded() == 0) {
    return E_NOMEM;
  }
  services.set(name, new Service(endpointId, fromPid));
  return E_OK;
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
