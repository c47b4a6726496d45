// The syscall table (kernel/abi-table.ts) and the handlers (gateway.ts)
// match row for row, and the gateway answers every row's rights check and
// errors in the shape the row declares.

import { describe, expect, it } from 'vitest';
import { shapeOf, SYSCALLS, syscallRows, type SyscallRow } from '../../kernel/abi-table.ts';
import { checkSyscallTable, HANDLERS } from '../../kernel/index.ts';
import { A, boot, res, slotErr } from './helpers.ts';

describe('the syscall table', () => {
  it('has a handler for every row and a row for every handler', () => {
    expect(() => checkSyscallTable(SYSCALLS, HANDLERS)).not.toThrow();
    expect([...SYSCALLS.keys()].sort()).toEqual([...HANDLERS.keys()].sort());
  });

  it('refuses a row with no handler', () => {
    const extra: SyscallRow = { num: 0x45, args: [], result: 'status', resultDoc: 'status', needsDoc: '—', doc: 'new' };
    expect(() => checkSyscallTable(new Map([...SYSCALLS, [0x45, extra]]), HANDLERS))
      .toThrow('syscall 0x45 has a row but no handler');
  });

  it('refuses a handler with no row', () => {
    const rows = new Map(SYSCALLS);
    rows.delete(A.SYS_SEND_CAP);
    expect(() => checkSyscallTable(rows, HANDLERS)).toThrow('syscall 0x44 has a handler but no row');
  });

  it("answers an empty slot with E_BADF, in each needing row's own result shape", () => {
    const { k, pids: [a] } = boot(1);
    const expected = (num: number): number => (shapeOf(num) === 'slot' ? slotErr(A.E_BADF)
      : shapeOf(num) === 'length' ? -A.E_BADF : A.E_BADF);
    const needing = syscallRows().filter((r) => r.needs);
    expect(needing.length).toBeGreaterThanOrEqual(8);
    for (const row of needing) {
      const args = [0, 0, 0];
      args[row.needs!.slotArg] = 999;
      expect(res(k, a!, row.num, args[0], args[1], args[2]), `0x${row.num.toString(16)}`).toBe(expected(row.num));
    }
  });

  it('answers a missing right with E_PERM before looking at anything else', () => {
    const { k, pids: [a, b] } = boot(2);
    const readOnly = res(k, a!, A.SYS_CAP_DERIVE, 0, A.PERM_READ);
    // GRANT to a PID that does not exist: the missing grant right is reported, not the target.
    expect(res(k, a!, A.SYS_CAP_GRANT, readOnly, 9999, 7)).toBe(slotErr(A.E_PERM));
    // SEND with a len beyond the data: the missing write right comes first.
    expect(res(k, a!, A.SYS_SEND, readOnly, 1, 50)).toBe(A.E_PERM);
    // RECEIVE through b's write capability to a's endpoint: not the owner, and no read.
    const w = res(k, a!, A.SYS_CAP_GRANT, 0, b!, A.PERM_WRITE);
    expect(res(k, b!, A.SYS_RECEIVE, w, 0, 0)).toBe(-A.E_PERM);
  });
});
