// The process-binary validator (supervisor/validate.ts) and the module cache.
// Fixtures are WAT compiled with wabt in the test, or hand-written bytes for
// binaries no assembler would produce.

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import wabtInit from 'wabt';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_LIMIT_PAGES, PAGE_SIZE } from '../../kernel/abi.ts';
import { ModuleCache, getOrCompile, moduleCache } from '../../supervisor/module-cache.ts';
import {
  DEFAULT_LIMITS, ValidationError, validateModule, type ValidationErrorCode,
} from '../../supervisor/validate.ts';

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
type Features = Parameters<Wabt['parseWat']>[2];
let wabt: Wabt;
beforeAll(async () => {
  wabt = await wabtInit();
});

function wat(text: string, features?: Features): Uint8Array {
  const module = wabt.parseWat('fixture.wat', text, features);
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** The error validateModule throws; fails the test if it returns or throws anything else. */
function refusal(name: string, bytes: Uint8Array, limits = {}): ValidationError {
  try {
    validateModule(name, bytes, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('validateModule accepted the module');
}

function expectRefused(code: ValidationErrorCode, name: string, bytes: Uint8Array, limits = {}): ValidationError {
  const err = refusal(name, bytes, limits);
  expect(err.code, err.message).toBe(code);
  expect(err.processName).toBe(name);
  expect(err.message).toContain(`process "${name}"`);
  return err;
}

const SYSCALL = '(import "env" "zos_syscall" (func (param i32 i32 i32 i32) (result i32)))';
const START = '(func (export "_start"))';
const MINIMAL = `(module ${SYSCALL} (memory (export "memory") 1 4) ${START})`;
/**
 * Every import the ABI allows, a passive data segment and some code: a
 * realistic process. data.drop makes it need a data count section, so that
 * every prefix of it is invalid (cut before the data section, it would
 * otherwise be a valid module).
 */
const FULL = `(module
  ${SYSCALL}
  (import "env" "zos_send_bytes" (func $send (param i32 i32)))
  (import "env" "zos_recv_bytes" (func (param i32 i32) (result i32)))
  (import "env" "zos_yield" (func $yield))
  (import "env" "zos_get_pid" (func (result i32)))
  (import "env" "abort" (func (param i32 i32 i32 i32)))
  (import "env" "memory" (memory 2))
  (data "hello")
  (func (export "_start")
    (memory.init 0 (i32.const 16) (i32.const 0) (i32.const 5))
    (data.drop 0)
    (call $send (i32.const 16) (i32.const 5))
    (call $yield)))`;
/** A defined memory without a maximum, and a way to run memory.grow from the test. */
const GROWER = `(module ${SYSCALL}
  (memory (export "memory") 1)
  ${START}
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;
const ENV = { env: { zos_syscall: () => 0 } };

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const bin = (...bytes: number[]): Uint8Array => new Uint8Array([...HEADER, ...bytes]);
/** A section with a body shorter than 128 bytes (so its size is a one-byte LEB). */
const section = (id: number, ...body: number[]): number[] => [id, body.length, ...body];
const vecName = (text: string): number[] => [text.length, ...new TextEncoder().encode(text)];
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('validateModule: accepted modules', () => {
  it('accepts a minimal process and describes it', () => {
    const bytes = wat(MINIMAL);
    const v = validateModule('hello', bytes);
    expect(v.imports).toEqual(['env.zos_syscall']);
    expect(v.memory).toEqual({ imported: false, shared: false, minPages: 1, maxPages: 4 });
    expect(v.hash).toBe(sha256(bytes));
    expect(v.bytes).toEqual(bytes); // maximum already within the limit: nothing rewritten
  });

  it('accepts every allowed import, with an imported memory left to the runtime', () => {
    const bytes = wat(FULL);
    const v = validateModule('full', bytes);
    expect(v.imports).toEqual([
      'env.zos_syscall', 'env.zos_send_bytes', 'env.zos_recv_bytes', 'env.zos_yield', 'env.zos_get_pid',
      'env.abort', 'env.memory',
    ]);
    expect(v.memory).toEqual({ imported: true, shared: false, minPages: 2, maxPages: DEFAULT_MEMORY_LIMIT_PAGES });
    expect(v.bytes).toEqual(bytes);
  });

  it('uses the ABI default memory limit', () => {
    expect(DEFAULT_LIMITS.memoryLimitPages).toBe(DEFAULT_MEMORY_LIMIT_PAGES);
  });

  it('works on a private copy of the input', () => {
    const bytes = wat(MINIMAL);
    const before = bytes.slice();
    const v = validateModule('copy', bytes);
    bytes.fill(0);
    expect(v.bytes).toEqual(before);
    expect(v.hash).toBe(sha256(before));
  });

  it('rejects nonsensical limits as a caller bug (RangeError)', () => {
    expect(() => validateModule('x', wat(MINIMAL), { memoryLimitPages: 70000 })).toThrow(RangeError);
    expect(() => validateModule('x', wat(MINIMAL), { maxBinaryBytes: -1 })).toThrow(RangeError);
  });
});

describe('validateModule: refusals', () => {
  it('too_large: checked before parsing, states both sizes', () => {
    const err = expectRefused('too_large', 'big', new Uint8Array(17), { maxBinaryBytes: 16 });
    expect(err.message).toContain('17 bytes');
    expect(err.message).toContain('limit of 16 bytes');
    // At the limit, the same garbage gets as far as the parser.
    expectRefused('malformed', 'big', new Uint8Array(16), { maxBinaryBytes: 16 });
  });

  it.each([
    ['bad magic', [0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0], 0, 'magic'],
    ['bad version', [0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 4, 'version'],
    ['truncated header', [0x00, 0x61, 0x73], 3, 'unexpected end'],
    ['section size past the end', [...HEADER, 1, 10, 0], 8, 'past the end'],
    ['LEB128 overflow', [...HEADER, 1, 0x80, 0x80, 0x80, 0x80, 0x10], 9, 'overflow'],
    ['overlong LEB128', [...HEADER, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 9, 'overflow'],
    ['duplicate section', [...HEADER, 1, 1, 0, 1, 1, 0], 11, 'duplicate type section'],
    ['out-of-order section', [...HEADER, 3, 1, 0, 1, 1, 0], 11, 'out of order'],
    ['unknown section id', [...HEADER, 14, 0], 8, 'unknown section id 14'],
    ['bytes left over in a section', [...HEADER, 1, 2, 0, 0], 11, 'unexpected bytes'],
    ['count past the section end', [...HEADER, 1, 1, 5], 11, 'unexpected end of the type section'],
    ['invalid UTF-8 in an import name', [...HEADER, 2, 5, 1, 1, 0xff, 0, 0], 11, 'UTF-8'],
    ['shared memory without a maximum', [...HEADER, 5, 3, 1, 0x02, 1], 11, 'shared memory'],
  ])('malformed: %s, at the right offset', (_, bytes, offset, detail) => {
    const err = expectRefused('malformed', 'bad', new Uint8Array(bytes));
    expect(err.offset).toBe(offset);
    expect(err.message).toContain(`at byte ${offset}`);
    expect(err.message).toContain(detail);
  });

  it('malformed: an import of a type that does not exist or is not a function type', () => {
    // Type section: one rec group of [struct {mut i32}, func (i32) -> ()], then func () -> ().
    const types = section(1, 2, 0x4e, 2, 0x5f, 1, 0x7f, 1, 0x60, 1, 0x7f, 0, 0x60, 0, 0);
    const importOf = (index: number): number[] =>
      section(2, 1, ...vecName('env'), ...vecName('zos_syscall'), 0x00, index);
    expect(expectRefused('malformed', 'gc', bin(...types, ...importOf(0))).message).toContain('not a function type');
    expect(expectRefused('malformed', 'gc', bin(...types, ...importOf(9))).message).toContain('there are 3 types');
    // Type 1 is the function inside the rec group: decoded, with the wrong signature.
    expect(expectRefused('forbidden_import', 'gc', bin(...types, ...importOf(1))).message)
      .toContain('has type (i32) -> ()');
  });

  it('malformed: what the engine rejects (here a function body of the wrong type), without an offset', () => {
    const err = expectRefused('malformed', 'bad', wat(`(module (memory (export "memory") 1)
      (func (export "_start") i32.const 0))`));
    expect(err.offset).toBeUndefined();
    expect(err.message).toContain('WebAssembly engine rejects');
  });

  it('forbidden_import: an import outside the allowlist, named with the allowlist', () => {
    const err = expectRefused('forbidden_import', 'x', wat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) ${START})`));
    expect(err.message).toContain('import "wasi_snapshot_preview1.fd_write" is not allowed');
    expect(err.message).toContain('env.zos_syscall, env.zos_send_bytes, env.zos_recv_bytes, env.zos_yield, ' +
      'env.zos_get_pid, env.abort and env.memory');
    expect(expectRefused('forbidden_import', 'x', wat(`(module (import "env" "console_log" (func))
      (memory (export "memory") 1) ${START})`)).message).toContain('"env.console_log"');
    expect(expectRefused('forbidden_import', 'x', wat(`(module (import "env" "table" (table 1 funcref))
      (memory (export "memory") 1) ${START})`)).message).toContain('"env.table"');
  });

  it.each([
    ['zos_syscall', '(param i32 i32) (result i32)', '(i32, i32) -> i32', '(i32, i32, i32, i32) -> i32'],
    ['zos_send_bytes', '(param i32 i32) (result i32)', '(i32, i32) -> i32', '(i32, i32) -> ()'],
    ['zos_recv_bytes', '(param i32 i32)', '(i32, i32) -> ()', '(i32, i32) -> i32'],
    ['zos_yield', '(param i32)', '(i32) -> ()', '() -> ()'],
    ['zos_get_pid', '(result i64)', '() -> i64', '() -> i32'],
    ['abort', '(param i32 i32 i32 f64)', '(i32, i32, i32, f64) -> ()', '(i32, i32, i32, i32) -> ()'],
  ])('forbidden_import: env.%s with a wrong signature', (field, sig, actual, expected) => {
    const err = expectRefused('forbidden_import', 'sig', wat(`(module (import "env" "${field}" (func ${sig}))
      (memory (export "memory") 1) ${START})`));
    expect(err.message).toContain(`import "env.${field}" has type ${actual}, but the ABI requires ${expected}`);
  });

  it('forbidden_import: an allowed name of the wrong kind', () => {
    const err = expectRefused('forbidden_import', 'kind', wat(`(module (import "env" "zos_yield" (global i32))
      (memory (export "memory") 1) ${START})`));
    expect(err.message).toContain('"env.zos_yield" is a global, but the ABI requires a function of type () -> ()');
  });

  it('bad_memory_import: env.memory that is not a memory', () => {
    const err = expectRefused('bad_memory_import', 'mem', wat(`(module (import "env" "memory" (func)) ${START})`));
    expect(err.message).toContain('"env.memory" is a function');
  });

  it('memory_over_limit: states the minimum and the limit in pages and MiB, and the fix', () => {
    const defined = expectRefused('memory_over_limit', 'hog', wat(`(module (memory (export "memory") 300) ${START})`));
    expect(defined.message).toContain('300 pages (18.75 MiB)');
    expect(defined.message).toContain('limit of 256 pages (16 MiB)');
    expect(defined.message).toContain('larger memory limit');
    const imported = expectRefused('memory_over_limit', 'hog',
      wat(`(module (import "env" "memory" (memory 257)) ${START})`));
    expect(imported.message).toContain('257 pages');
    const custom = expectRefused('memory_over_limit', 'hog', wat(`(module (memory (export "memory") 9) ${START})`),
      { memoryLimitPages: 8 });
    expect(custom.message).toContain('limit of 8 pages (0.5 MiB)');
  });

  it('unsupported_memory: memory64 and more than one memory', () => {
    expect(expectRefused('unsupported_memory', 'm64',
      wat(`(module (memory (export "memory") i64 1) ${START})`, { memory64: true })).message).toContain('memory64');
    expect(expectRefused('unsupported_memory', 'multi',
      wat(`(module (memory (export "memory") 1) (memory 1) ${START})`)).message).toContain('2 memories');
    expect(expectRefused('unsupported_memory', 'multi',
      wat(`(module (import "env" "memory" (memory 1)) (memory 1) ${START})`)).message).toContain('2 memories');
  });

  it('missing_memory: none at all, not exported, or "memory" exported as something else', () => {
    expect(expectRefused('missing_memory', 'nomem', wat(`(module ${START})`)).message).toContain('no memory');
    expect(expectRefused('missing_memory', 'nomem', wat(`(module (memory 1) ${START})`)).message)
      .toContain('does not export it as "memory"');
    expect(expectRefused('missing_memory', 'nomem', wat(`(module (memory 1) ${START} (func (export "memory")))`))
      .message).toContain('exports "memory" as a function');
  });

  it('missing_start and start_not_function', () => {
    expect(expectRefused('missing_start', 'nostart', wat('(module (memory (export "memory") 1))')).message)
      .toContain('"_start"');
    expect(expectRefused('start_not_function', 'nostart',
      wat('(module (memory (export "memory") 1) (global (export "_start") i32 (i32.const 0)))')).message)
      .toContain('exports "_start" as a global');
  });
});

describe('validateModule: robustness', () => {
  it('refuses every truncation of a valid module with a ValidationError', () => {
    const bytes = wat(FULL);
    expect(() => validateModule('full', bytes)).not.toThrow();
    for (let length = 0; length < bytes.length; length++) refusal('cut', bytes.subarray(0, length));
  });

  const fuzz = (bytes: Uint8Array): void => {
    try {
      validateModule('fuzz', bytes);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
    }
  };

  it('returns or throws ValidationError for random byte changes (property)', () => {
    const base = wat(FULL);
    const flip = fc.record({ at: fc.nat({ max: base.length - 1 }), value: fc.integer({ min: 0, max: 255 }) });
    fc.assert(fc.property(fc.array(flip, { minLength: 1, maxLength: 6 }), (flips) => {
      const bytes = base.slice();
      for (const { at, value } of flips) bytes[at] = value;
      fuzz(bytes);
    }), { seed: 0x2a05, numRuns: 3000 });
  });

  it('returns or throws ValidationError for random sections after a valid header (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 96 }), (tail) => fuzz(bin(...tail))),
      { seed: 0x2a06, numRuns: 3000 });
  });
});

describe('validateModule: the memory maximum', () => {
  it('gives a defined memory without a maximum the limit as maximum; memory.grow past it returns -1', async () => {
    const bytes = wat(GROWER);
    const v = validateModule('grower', bytes);
    expect(v.memory).toEqual({ imported: false, shared: false, minPages: 1, maxPages: DEFAULT_MEMORY_LIMIT_PAGES });
    expect(v.bytes).not.toEqual(bytes);
    expect(v.hash).toBe(sha256(bytes)); // the hash is of the original
    expect(WebAssembly.validate(v.bytes)).toBe(true);
    const { instance } = await WebAssembly.instantiate(v.bytes, ENV);
    const grow = instance.exports.grow as (pages: number) => number;
    expect(grow(DEFAULT_MEMORY_LIMIT_PAGES - 1)).toBe(1);
    expect(grow(1)).toBe(-1);
    const memory = instance.exports.memory as WebAssembly.Memory;
    expect(memory.buffer.byteLength).toBe(DEFAULT_MEMORY_LIMIT_PAGES * PAGE_SIZE);
    // Validating the rewritten module again changes nothing more.
    expect(validateModule('grower', v.bytes).bytes).toEqual(v.bytes);
  });

  it('applies a per-spawn limit', async () => {
    const v = validateModule('grower', wat(GROWER), { memoryLimitPages: 4 });
    expect(v.memory.maxPages).toBe(4);
    const { instance } = await WebAssembly.instantiate(v.bytes, ENV);
    const grow = instance.exports.grow as (pages: number) => number;
    expect(grow(4)).toBe(-1);
    expect(grow(3)).toBe(1);
    expect(grow(1)).toBe(-1);
  });

  it('lowers a maximum of 100000 pages to the limit (the section grows shorter)', async () => {
    const bytes = wat(GROWER.replace('(memory (export "memory") 1)', '(memory (export "memory") 1 100000)'));
    const v = validateModule('huge', bytes);
    expect(v.memory.maxPages).toBe(DEFAULT_MEMORY_LIMIT_PAGES);
    expect(v.bytes.length).toBe(bytes.length - 1); // max 100000 is a 3-byte LEB, 256 a 2-byte one
    const { instance } = await WebAssembly.instantiate(v.bytes, ENV);
    const grow = instance.exports.grow as (pages: number) => number;
    expect(grow(DEFAULT_MEMORY_LIMIT_PAGES)).toBe(-1);
    expect(grow(DEFAULT_MEMORY_LIMIT_PAGES - 1)).toBe(1);
  });

  it('reports an imported shared memory as shared, capped at the limit, and the runtime can supply it', async () => {
    const bytes = wat(`(module ${SYSCALL} (import "env" "memory" (memory 1 512 shared)) ${START})`, { threads: true });
    const v = validateModule('shared', bytes);
    expect(v.memory).toEqual({ imported: true, shared: true, minPages: 1, maxPages: DEFAULT_MEMORY_LIMIT_PAGES });
    expect(v.bytes).toEqual(bytes);
    const memory = new WebAssembly.Memory({ initial: v.memory.minPages, maximum: v.memory.maxPages, shared: true });
    await WebAssembly.instantiate(v.bytes, { env: { ...ENV.env, memory } });
  });

  it('keeps a defined shared memory shared when lowering its maximum', async () => {
    const v = validateModule('shared', wat(GROWER.replace('(memory (export "memory") 1)',
      '(memory (export "memory") 1 1000 shared)'), { threads: true }));
    expect(v.memory).toEqual({ imported: false, shared: true, minPages: 1, maxPages: DEFAULT_MEMORY_LIMIT_PAGES });
    const { instance } = await WebAssembly.instantiate(v.bytes, ENV);
    expect((instance.exports.memory as WebAssembly.Memory).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect((instance.exports.grow as (pages: number) => number)(DEFAULT_MEMORY_LIMIT_PAGES)).toBe(-1);
  });
});

describe('ModuleCache', () => {
  const variant = (pages: number): Uint8Array => wat(`(module (memory (export "memory") ${pages} 8) ${START})`);

  it('returns the same Module for the same bytes and counts hits', async () => {
    const cache = new ModuleCache();
    const first = await cache.getOrCompile(validateModule('a', wat(MINIMAL)));
    const second = await cache.getOrCompile(validateModule('b', wat(MINIMAL)));
    expect(first).toBeInstanceOf(WebAssembly.Module);
    expect(second).toBe(first);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, size: 1 });
  });

  it('keys on the effective maximum too, since the rewrite depends on the limit', async () => {
    const cache = new ModuleCache();
    const a = await cache.getOrCompile(validateModule('g', wat(GROWER)));
    const b = await cache.getOrCompile(validateModule('g', wat(GROWER), { memoryLimitPages: 4 }));
    expect(b).not.toBe(a);
    expect(cache.stats).toEqual({ hits: 0, misses: 2, size: 2 });
  });

  it('evicts the least recently used entry', async () => {
    const cache = new ModuleCache(2);
    const [a, b, c] = [1, 2, 3].map((pages) => validateModule('v', variant(pages)));
    const moduleA = await cache.getOrCompile(a!);
    await cache.getOrCompile(b!);
    await cache.getOrCompile(a!); // a is now the most recently used
    await cache.getOrCompile(c!); // evicts b
    expect(await cache.getOrCompile(a!)).toBe(moduleA);
    await cache.getOrCompile(b!);
    expect(cache.stats).toEqual({ hits: 2, misses: 4, size: 2 });
  });

  it('does not keep a failed compilation', async () => {
    const cache = new ModuleCache();
    const broken = { ...validateModule('v', wat(MINIMAL)), bytes: new Uint8Array([0, 1, 2]) };
    await expect(cache.getOrCompile(broken)).rejects.toThrow();
    expect(cache.stats.size).toBe(0);
  });

  it('has a shared instance behind getOrCompile', async () => {
    const v = validateModule('shared-cache', variant(5));
    const before = moduleCache.stats.hits;
    expect(await getOrCompile(v)).toBe(await getOrCompile(v));
    expect(moduleCache.stats.hits).toBe(before + 1);
  });
});
