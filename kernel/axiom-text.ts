// SYS_ZOS_AXIOM (a zos extension): the logs as text, so the shell, a real
// process, can show them: the SysLog tail, the CommitLog tail, a chain
// verification, the state hash.

import * as A from './abi.ts';
import { type Answer, fail, type KernelCore, ok, type Syscall } from './core.ts';
import { argsText, fieldsText, resultText, syscallName } from './names.ts';
import { stateHashOf } from './replay.ts';

const MAX_LINES = 200;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function axiomText(k: KernelCore, kind: number, count: number): string | null {
  const n = Math.min(count, MAX_LINES);
  switch (kind) {
    case A.AXIOM_SYSLOG: case A.AXIOM_SYSLOG_WORDS: {
      const numOf = new Map<number, number>();
      const words = kind === A.AXIOM_SYSLOG_WORDS;
      const lines = k.syslog.tail(n).map((e) => {
        if (e.kind === 'request') {
          numOf.set(e.id, e.num);
          return `#${e.id} pid ${e.pid} ${syscallName(e.num)}(${words ? argsText(e.num, e.args) : e.args.join(', ')})`;
        }
        const num = numOf.get(e.request_id);
        return `#${e.id} -> #${e.request_id} ${num === undefined ? e.result : resultText(num, e.result)}`;
      });
      return `${lines.join('\n')}\n(${k.syslog.length} kept, ${k.syslog.trimmed} trimmed)\n`;
    }
    case A.AXIOM_COMMITS: case A.AXIOM_COMMITS_WORDS:
      return k.commitLog.range(k.commitLog.length - n).map((c) => `${c.seq} ${c.type} ${
        kind === A.AXIOM_COMMITS ? JSON.stringify(c.fields) : fieldsText(c)} ${c.hash.slice(0, 12)}`).join('\n') + '\n';
    case A.AXIOM_VERIFY: {
      const r = k.commitLog.verifyIntegrity();
      return r.ok ? `chain ok: ${r.commits} commits, head ${r.head.slice(0, 16)}\n`
        : `chain BROKEN at seq ${r.badSeq}: ${r.reason}\n`;
    }
    case A.AXIOM_STATE_HASH:
      return `${stateHashOf(k.state)}\n`;
    default:
      return null;
  }
}

export function sysZosAxiom(k: KernelCore, c: Syscall): Answer {
  const text = axiomText(k, c.a0, c.a1 > 0 ? c.a1 : 10);
  if (text === null) return fail(A.E_INVAL);
  // Cut at a line end to fit the response area; the text says how much it kept.
  let bytes = utf8.encode(text);
  if (bytes.length > A.MAX_RESPONSE_DATA) {
    const cut = bytes.subarray(0, A.MAX_RESPONSE_DATA - 64).lastIndexOf(10) + 1;
    bytes = utf8.encode(`${fromUtf8.decode(bytes.subarray(0, cut))}(cut at ${cut} of ${bytes.length} bytes)\n`);
  }
  return ok(bytes.length, bytes);
}
