// The init channel (ABI §6): DEBUG text from PID 1 that starts with `INIT:`
// is a request to the supervisor. SPAWN is carried out by the supervisor,
// which owns the binaries; GRANT and REVOKE are privileged acts on the
// derivation tree; OWNER is zos's. A number to give back (a PID, a slot, an
// owner) comes as response data (`InitAnswer`, docs/abi.md §6).

import * as A from './abi.ts';
import { LAYOUTS } from './abi-table.ts';
import { type Answer, fail, type KernelCore, ok } from './core.ts';
import { capIn, grantObject, revokeWithRoot } from './cspace.ts';
import { encode } from './layout.ts';
import { spawnRefusal } from './process.ts';

const utf8 = new TextEncoder();
const withValue = (value: number): Answer => ok(A.E_OK, encode(LAYOUTS.InitAnswer, { value }));

export function initRequest(k: KernelCore, text: string, now: number, request: number): Answer {
  const [, verb, ...args] = text.split(':');
  const nums = args.map((a) => (/^\d+$/.test(a) ? Number(a) : NaN));
  const numeric = (count: number): boolean => nums.length === count && nums.every(Number.isSafeInteger);
  // zos: `INIT:SPAWN:{name}:{pid}` names the process it is for (docs/abi.md §6).
  if (verb === 'SPAWN' && (args.length === 1 || args.length === 2) && args[0]) {
    const requester = args.length === 2 ? nums[1]! : A.PID_INIT;
    if (k.state.procs.get(requester)?.status !== 'alive') return fail(A.E_INVAL);
    const refusal = spawnRefusal(k, requester);
    if (refusal) {
      k.debug(now, A.PID_SUPERVISOR, `INIT:SPAWN:${args[0]} refused: ${refusal}`);
      return fail(A.E_NOMEM);
    }
    const r = k.spawnRequest?.(args[0], now, request, requester) ?? { error: A.E_NOSYS, message: 'no supervisor' };
    if ('error' in r) {
      k.debug(now, A.PID_SUPERVISOR, `INIT:SPAWN:${args[0]} refused: ${r.message}`);
      return fail(r.error);
    }
    return withValue(r.pid);
  }
  if (verb === 'GRANT' && numeric(5)) {
    const [pid, slot, type, object, perms] = nums as [number, number, number, number, number];
    const r = grantObject(k, pid, type, object, perms, now, request, slot);
    return r.kind === 'ok' ? withValue(r.value) : r;
  }
  if (verb === 'REVOKE' && numeric(2)) {
    const cap = capIn(k, nums[0]!, nums[1]!);
    if (!cap) return fail(A.E_BADF);
    revokeWithRoot(k, cap, now, request);
    return ok();
  }
  // zos: the programs one can spawn, one name per line, so the shell can list them.
  if (verb === 'PROGRAMS' && args.length === 0) {
    return ok(A.E_OK, utf8.encode((k.programs?.() ?? []).join('\n')));
  }
  // zos: who owns an endpoint, so init can accept a REGISTER_SERVICE only
  // from the endpoint's owner without asking registrants for anything more.
  if (verb === 'OWNER' && numeric(1)) {
    const ep = k.state.endpoints.get(nums[0]!);
    return ep ? withValue(ep.owner) : fail(A.E_NOENT);
  }
  return fail(A.E_INVAL);
}
