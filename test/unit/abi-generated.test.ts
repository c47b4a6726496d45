// Everything generated from the ABI table (scripts/gen-abi.ts) must be what
// the generator would write now: process-lib's bindings, layouts and names,
// and the tables of docs/abi.md. A change to kernel/abi-table.ts or
// kernel/abi.ts without `npm run gen:abi` fails here, naming the file.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/gen-abi.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('generated from the ABI table', () => {
  for (const [path, expected] of generate()) {
    it(`${path} matches kernel/abi-table.ts (run \`npm run gen:abi\` if not)`, () => {
      expect(readFileSync(`${ROOT}${path}`, 'utf8')).toBe(expected);
    });
  }

  it("docs/abi.md's syscall table lists every row, by number and name", () => {
    const doc = readFileSync(`${ROOT}docs/abi.md`, 'utf8');
    for (const [num, name] of [[0x30, 'CAP_GRANT'], [0x44, 'SEND_CAP'], [0x71, 'ZOS_KILL (zos)']] as const) {
      expect(doc).toContain(`| 0x${num.toString(16)} | ${name} |`);
    }
  });
});
