// The service registry: names to endpoint ids, and who registered them.

import { E_EXIST, E_NOMEM, E_OK, listProcs } from "../../process-lib";

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
  } else if (services.size >= MAX_SERVICES) {
    return E_NOMEM;
  }
  services.set(name, new Service(endpointId, fromPid));
  return E_OK;
}

/** The endpoint id registered for `name`, or 0 when there is none (endpoint ids start at 1). */
export function lookup(name: string): u64 {
  return services.has(name) ? services.get(name).endpointId : 0;
}

function isAlive(pid: u32): bool {
  const procs = listProcs();
  for (let i = 0; i < procs.length; i++) {
    if (procs[i].pid == pid) return true;
  }
  return false;
}
