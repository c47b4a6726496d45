// The text that SYS_ZOS_AXIOM answers, so the shell can show the logs: the
// SysLog tail, the CommitLog tail, a chain verification, the state hash.

import { AXIOM_COMMITS, AXIOM_STATE_HASH, AXIOM_SYSLOG, AXIOM_VERIFY } from './abi.ts';
import type { Kernel } from './kernel.ts';
import { resultText, syscallName } from './names.ts';

const MAX_LINES = 200;

export function formatAxiomText(k: Kernel, kind: number, count: number): string | null {
  const n = Math.min(count, MAX_LINES);
  switch (kind) {
    case AXIOM_SYSLOG: {
      const numOf = new Map<number, number>();
      const lines = k.syslog.tail(n).map((e) => {
        if (e.kind === 'request') {
          numOf.set(e.id, e.num);
          return `#${e.id} pid ${e.pid} ${syscallName(e.num)}(${e.args.join(', ')})`;
        }
        const num = numOf.get(e.request_id);
        return `#${e.id} -> #${e.request_id} ${num === undefined ? e.result : resultText(num, e.result)}`;
      });
      return `${lines.join('\n')}\n(${k.syslog.length} kept, ${k.syslog.trimmed} trimmed)\n`;
    }
    case AXIOM_COMMITS:
      return k.commits.slice(-n).map((c) =>
        `${c.seq} ${c.type} ${JSON.stringify(c.fields)} ${c.hash.slice(0, 12)}`).join('\n') + '\n';
    case AXIOM_VERIFY: {
      const r = k.verifyIntegrity();
      return r.ok ? `chain ok: ${r.commits} commits, head ${r.head.slice(0, 16)}\n`
        : `chain BROKEN at seq ${r.badSeq}: ${r.reason}\n`;
    }
    case AXIOM_STATE_HASH:
      return `${k.stateHash()}\n`;
    default:
      return null;
  }
}
