// What a step changed, in the words of the capability model, and where on
// the page it shows: from the commits it caused to sentences ("pid 5 granted
// its slot 3 to pid 7 as slot 4, rights rw-") and to the rows to point at
// (a capability, a process, an endpoint).

import * as A from '../../kernel/abi.ts';
import type { Commit } from '../../kernel/commits.ts';
import { objectTypeName, permsString, tagName } from '../../kernel/names.ts';

export interface Changes {
  lines: string[];
  /** CSS selectors of the rows that show what changed. */
  selectors: string[];
}

const MAX_LINES = 8;

const capRow = (pid: number, slot: number): string => `[data-cap="${pid}:${slot}"]`;
const procRow = (pid: number): string => `[data-testid="proc-row-${pid}"]`;
const endpointRow = (id: number): string => `[data-endpoint="${id}"]`;

/**
 * Describes a run of commits; messages are summed per endpoint, so a flood
 * is one line. `ownerOf` names who gets what is sent to an endpoint.
 */
export function describeChanges(commits: readonly Commit[], ownerOf: (endpoint: number) => number | undefined = () => undefined): Changes {
  const lines: string[] = [];
  const selectors = new Set<string>();
  const messages = new Map<string, number>();
  for (const c of commits) {
    switch (c.type) {
      case 'ProcessCreated':
        lines.push(`pid ${c.fields.pid} started: ${c.fields.name} (parent ${c.fields.parent})`);
        selectors.add(procRow(c.fields.pid));
        break;
      case 'ProcessExited':
        lines.push(`pid ${c.fields.pid} exited with code ${c.fields.code}`);
        selectors.add(procRow(c.fields.pid));
        break;
      case 'ProcessFaulted':
        lines.push(`pid ${c.fields.pid} stopped: ${c.fields.reason} (${c.fields.description})`);
        selectors.add(procRow(c.fields.pid));
        break;
      case 'CapInserted':
        lines.push(`pid ${c.fields.pid} slot ${c.fields.slot}: capability #${c.fields.cap_id} to ` +
          `${objectTypeName(c.fields.type).toLowerCase()} ${c.fields.object_id}, rights ${permsString(c.fields.perms)}`);
        selectors.add(capRow(c.fields.pid, c.fields.slot));
        break;
      case 'CapRemoved':
        lines.push(`pid ${c.fields.pid} slot ${c.fields.slot}: ${c.fields.moving ? 'moved out, in a message' : 'capability removed'}`);
        break;
      case 'CapGranted':
        lines.push(c.fields.from_pid === c.fields.to_pid
          ? `pid ${c.fields.from_pid} derived slot ${c.fields.to_slot} from its slot ${c.fields.from_slot}, rights ${permsString(c.fields.perms)}`
          : `pid ${c.fields.from_pid} granted its slot ${c.fields.from_slot} to pid ${c.fields.to_pid} as slot ${c.fields.to_slot}, rights ${permsString(c.fields.perms)}`);
        selectors.add(capRow(c.fields.to_pid, c.fields.to_slot));
        break;
      case 'CapLeased':
        lines.push(`pid ${c.fields.pid} slot ${c.fields.slot}: leased until ${(c.fields.expires / 1e9).toFixed(1)} s after boot`);
        selectors.add(capRow(c.fields.pid, c.fields.slot));
        break;
      case 'CapExpired':
        lines.push(`pid ${c.fields.pid} slot ${c.fields.slot}: the lease ran out, capability removed`);
        break;
      case 'EndpointCreated':
        lines.push(`endpoint ${c.fields.id} created, owned by pid ${c.fields.owner}`);
        selectors.add(endpointRow(c.fields.id));
        break;
      case 'EndpointDestroyed':
        lines.push(`endpoint ${c.fields.id} destroyed`);
        break;
      case 'MessageSent': {
        // What was typed reaches the shell as a message too; it is the step itself, not what it changed.
        if (c.fields.from_pid === A.PID_SUPERVISOR && c.fields.tag === A.MSG_CONSOLE_INPUT) break;
        const owner = ownerOf(c.fields.to_endpoint);
        const to = `endpoint ${c.fields.to_endpoint}${owner === undefined ? '' : ` (pid ${owner})`}`;
        const what = c.fields.from_pid === A.PID_SUPERVISOR && c.fields.tag === A.MSG_CAP_REVOKED
          ? `the kernel's CAP_REVOKED notice to ${owner === undefined ? to : `pid ${owner}, on its slot 1`}`
          : `pid ${c.fields.from_pid} → ${to}, tag ${tagName(c.fields.tag)}`;
        messages.set(what, (messages.get(what) ?? 0) + 1);
        selectors.add(endpointRow(c.fields.to_endpoint));
        break;
      }
      case 'Genesis':
        break;
    }
  }
  for (const [what, n] of messages) lines.push(n === 1 ? `message: ${what}` : `${n} messages: ${what}`);
  const more = lines.length - MAX_LINES;
  return {
    lines: more > 0 ? [...lines.slice(0, MAX_LINES), `… and ${more} more (Logs → CommitLog has them all)`] : lines,
    selectors: [...selectors].slice(0, 24),
  };
}
