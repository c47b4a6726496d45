// A commit in words, in the terms of the capability model: who got which
// capability with which rights, from where; what left a CSpace and why;
// and the SysLog request that caused it. Used by the timeline and the graph.

import type { Commit } from '../kernel/commits.ts';
import { permsString, resultText, syscallName, tagName } from '../kernel/names.ts';
import { formatNs } from './dom.ts';
import type { RequestRow } from './timeline.ts';

export function commitText(c: Commit): string {
  switch (c.type) {
    case 'Genesis':
      return 'Genesis: the chain starts, the state is empty';
    case 'ProcessCreated':
      return `pid ${c.fields.pid} (${c.fields.name}) created, parent pid ${c.fields.parent}`;
    case 'ProcessExited':
      return `pid ${c.fields.pid} exited with code ${c.fields.code}; its capabilities were removed`;
    case 'ProcessFaulted':
      return `pid ${c.fields.pid} faulted (${c.fields.reason}: ${c.fields.description})`;
    case 'CapInserted': {
      const f = c.fields;
      const from = f.parent ? `derived from #${f.parent}` : 'a root capability';
      return `capability #${f.cap_id} (${permsString(f.perms)}) put in pid ${f.pid} slot ${f.slot}, ${from}`;
    }
    case 'CapGranted': {
      const f = c.fields;
      return f.from_pid === f.to_pid
        ? `pid ${f.from_pid} derived slot ${f.to_slot} from its slot ${f.from_slot}: capability #${f.new_cap_id} with ${permsString(f.perms)}`
        : `pid ${f.from_pid} granted its slot ${f.from_slot} to pid ${f.to_pid} slot ${f.to_slot}: capability #${f.new_cap_id} with ${permsString(f.perms)}`;
    }
    case 'CapRemoved':
      return c.fields.moving === 1
        ? `pid ${c.fields.pid} slot ${c.fields.slot} left in a message (SEND_CAP): in flight until it lands`
        : `pid ${c.fields.pid} slot ${c.fields.slot} removed`;
    case 'CapLeased':
      return `pid ${c.fields.pid} slot ${c.fields.slot} leased: it expires at ${formatNs(c.fields.expires)} s`;
    case 'CapExpired':
      return `pid ${c.fields.pid} slot ${c.fields.slot} expired: its lease ran out`;
    case 'EndpointCreated':
      return `endpoint ${c.fields.id} created, owned by pid ${c.fields.owner}`;
    case 'EndpointDestroyed':
      return `endpoint ${c.fields.id} destroyed`;
    case 'MessageSent':
      return `pid ${c.fields.from_pid} sent ${tagName(c.fields.tag)} (${c.fields.size} B) to endpoint ${c.fields.to_endpoint}`;
  }
}

/** The request behind a commit, as far as the SysLog still knows it. */
export function causeText(c: Commit, row: RequestRow | null): string {
  if (c.caused_by === null) return 'made by the supervisor, not by a syscall';
  if (!row) return `request #${c.caused_by} (no longer in the SysLog)`;
  const { req, result } = row;
  const by = req.by !== undefined ? ` made by pid ${req.by} on its behalf` : '';
  const answer = result === null ? 'not answered yet' : `answered ${resultText(req.num, result)}`;
  return `request #${req.id}: pid ${req.pid} ${syscallName(req.num)}${by}, ${answer}`;
}
