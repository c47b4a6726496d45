// Validation of a process binary before it is compiled (ABI §1).
//
// The supervisor runs every binary through validateModule before spawning it,
// so a bad module is refused early, with a message that names the process and
// says what to change. The checks, in order:
//
//  1. size ≤ maxBinaryBytes, before a byte is parsed;
//  2. structure: header, section ids, order and sizes, LEB128 integers; the
//     type, import, memory and export sections are decoded in full;
//  3. imports: only the ABI §1 allowlist, each with its ABI kind and signature;
//  4. memory: exactly one 32-bit memory, imported as env.memory or exported as
//     "memory", whose declared minimum is within the process memory limit;
//  5. `_start` is exported as a function;
//  6. WebAssembly.validate on the final bytes, for everything not decoded
//     here (code bodies, data, tables, globals...).
//
// The ABI makes the memory limit act as a maximum: past it `memory.grow`
// returns -1. For a module-defined memory the engine enforces that only if
// the module says so, so a memory with no maximum, or one above the limit, is
// rewritten here to have maximum == limit. An imported memory is left alone:
// the runtime creates it with the reported minPages and maxPages.
//
// This file is shared by the browser and Node: standard JS and WebAssembly only.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DEFAULT_MEMORY_LIMIT_PAGES, PAGE_SIZE } from '../kernel/abi.ts';
import { IMPORT_MODULE, IMPORTS, signatureText } from '../kernel/abi-table.ts';

export interface ValidationLimits {
  /** Largest accepted binary, in bytes. */
  maxBinaryBytes: number;
  /** The process memory limit, in 64 KiB pages (ABI §1). */
  memoryLimitPages: number;
}

export const DEFAULT_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  maxBinaryBytes: 8 * 1024 * 1024,
  memoryLimitPages: DEFAULT_MEMORY_LIMIT_PAGES,
});

export type ValidationErrorCode =
  /** The binary is larger than maxBinaryBytes. */
  | 'too_large'
  /** Not a well-formed WebAssembly module; `offset` says where, when known. */
  | 'malformed'
  /** An import outside the ABI §1 allowlist, or an allowed name with the wrong kind or signature. */
  | 'forbidden_import'
  /** `env.memory` imported as something other than a memory. */
  | 'bad_memory_import'
  /** A 64-bit memory, or more than one memory. */
  | 'unsupported_memory'
  /** No memory imported as `env.memory` nor exported as "memory". */
  | 'missing_memory'
  /** The memory's declared minimum is above the process memory limit. */
  | 'memory_over_limit'
  /** No `_start` export. */
  | 'missing_start'
  /** `_start` is exported, but not as a function. */
  | 'start_not_function';

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code: ValidationErrorCode;
  readonly processName: string;
  /** Byte offset of the problem in the binary, for 'malformed' errors found by the parser. */
  readonly offset: number | undefined;

  constructor(code: ValidationErrorCode, processName: string, detail: string, offset?: number) {
    super(`process ${JSON.stringify(processName)}: ${detail}`);
    this.code = code;
    this.processName = processName;
    this.offset = offset;
  }
}

export interface ValidatedModule {
  /** The bytes to compile: a private copy, with a module-defined memory's maximum lowered to the limit. */
  bytes: Uint8Array<ArrayBuffer>;
  /** SHA-256 (hex) of the original bytes, as given to validateModule. */
  hash: string;
  memory: {
    imported: boolean;
    shared: boolean;
    minPages: number;
    /** Effective maximum: the declared maximum capped at the limit (the limit if none was declared). */
    maxPages: number;
  };
  /** Every import as "module.field", in declaration order. */
  imports: string[];
}

/** Validates `bytes` as the binary of process `name`; throws ValidationError if it can't run. */
export function validateModule(
  name: string,
  bytes: Uint8Array,
  limits: Partial<ValidationLimits> = {},
): ValidatedModule {
  const { maxBinaryBytes, memoryLimitPages } = resolveLimits(limits);
  if (bytes.length > maxBinaryBytes) {
    throw new ValidationError('too_large', name,
      `the binary is ${bytes.length} bytes (${mib(bytes.length)}), over the limit of ${maxBinaryBytes} bytes ` +
      `(${mib(maxBinaryBytes)}); build it smaller (optimize for size, strip debug sections) or raise maxBinaryBytes`);
  }
  // Work on a private copy: the caller (or another worker sharing the buffer)
  // must not be able to change the bytes between validation and compilation.
  const original = new Uint8Array(bytes);
  const parsed = parse(original, malformed(name));
  checkImports(name, parsed);
  const memory = checkMemory(name, parsed, memoryLimitPages);
  checkStart(name, parsed);

  // checkMemory allows one memory at most, so a defined one is the only one.
  const defined = parsed.memory.defined[0];
  const section = parsed.memory.section;
  const out = defined !== undefined && section !== undefined &&
    (defined.max === undefined || defined.max > memoryLimitPages)
    ? withMemoryMaximum(original, section, defined, memoryLimitPages)
    : original;
  if (!WebAssembly.validate(out)) {
    throw new ValidationError('malformed', name,
      'the WebAssembly engine rejects the module (invalid code, data or another section); ' +
      'run a validator such as wasm-validate on it for the exact error, and rebuild it');
  }
  return {
    bytes: out,
    hash: bytesToHex(sha256(original)),
    memory,
    imports: parsed.imports.map((imp) => `${imp.module}.${imp.field}`),
  };
}

function resolveLimits(limits: Partial<ValidationLimits>): ValidationLimits {
  const resolved = {
    maxBinaryBytes: limits.maxBinaryBytes ?? DEFAULT_LIMITS.maxBinaryBytes,
    memoryLimitPages: limits.memoryLimitPages ?? DEFAULT_LIMITS.memoryLimitPages,
  };
  // Bad limits are a bug in the caller, not in the process: RangeError, not ValidationError.
  if (!Number.isSafeInteger(resolved.maxBinaryBytes) || resolved.maxBinaryBytes < 0) {
    throw new RangeError(`maxBinaryBytes must be a non-negative integer, got ${resolved.maxBinaryBytes}`);
  }
  if (!Number.isInteger(resolved.memoryLimitPages) || resolved.memoryLimitPages < 0 ||
      resolved.memoryLimitPages > MAX_MEMORY32_PAGES) {
    throw new RangeError(
      `memoryLimitPages must be an integer in 0..${MAX_MEMORY32_PAGES}, got ${resolved.memoryLimitPages}`);
  }
  return resolved;
}

/** The largest maximum a 32-bit memory can declare (4 GiB), by the WebAssembly spec. */
export const MAX_MEMORY32_PAGES = 65536;

const mib = (bytes: number): string => `${+(bytes / (1024 * 1024)).toFixed(2)} MiB`;
const pages = (n: number): string => `${n} pages (${mib(n * PAGE_SIZE)})`;

// ---------------------------------------------------------------------------
// Semantic checks (ABI §1)

/** The functions a process may import from `env`, with the signature the ABI gives each. */
const ALLOWED_FUNCTIONS: ReadonlyMap<string, string> = new Map(
  IMPORTS.filter((i) => i.kind === 'func').map((i) => [i.name, signatureText(i)]),
);
const ALLOWLIST = IMPORTS.map((i) => `${IMPORT_MODULE}.${i.name}`);
const ALLOWLIST_TEXT = `${ALLOWLIST.slice(0, -1).join(', ')} and ${ALLOWLIST.at(-1)}`;

function checkImports(name: string, mod: ParsedModule): void {
  for (const imp of mod.imports) {
    const what = `import ${JSON.stringify(`${imp.module}.${imp.field}`)}`;
    const expected = imp.module === IMPORT_MODULE ? ALLOWED_FUNCTIONS.get(imp.field) : undefined;
    if (imp.module === IMPORT_MODULE && imp.field === 'memory') {
      if (imp.kind !== 'memory') {
        throw new ValidationError('bad_memory_import', name,
          `${what} is a ${imp.kind}, but env.memory must be a memory; import it as (memory N) or remove it`);
      }
    } else if (expected === undefined) {
      throw new ValidationError('forbidden_import', name,
        `${what} is not allowed; zos processes may import only ${ALLOWLIST_TEXT} (ABI §1). ` +
        'Remove it; such imports usually mean the binary was built for another host (WASI, JS glue)');
    } else if (imp.kind !== 'function') {
      throw new ValidationError('forbidden_import', name,
        `${what} is a ${imp.kind}, but the ABI requires a function of type ${expected}`);
    } else {
      const actual = signatureText(funcType(name, mod, imp));
      if (actual !== expected) {
        throw new ValidationError('forbidden_import', name,
          `${what} has type ${actual}, but the ABI requires ${expected}; fix its declaration`);
      }
    }
  }
}

function funcType(name: string, mod: ParsedModule, imp: Import): FuncType {
  const index = imp.typeIndex!;
  const type = mod.types[index];
  const fail: Fail = malformed(name);
  if (type === undefined) fail(`import refers to type ${index}, but there are ${mod.types.length} types`, imp.at);
  if (type === null) fail(`import refers to type ${index}, which is not a function type`, imp.at);
  return type;
}

function checkMemory(name: string, mod: ParsedModule, limit: number): ValidatedModule['memory'] {
  const imported = mod.imports.flatMap((imp) => (imp.limits ? [imp.limits] : []));
  const all = [...imported, ...mod.memory.defined];
  if (all.length > 1) {
    throw new ValidationError('unsupported_memory', name,
      `the module has ${all.length} memories; a zos process has exactly one linear memory (no multi-memory)`);
  }
  const mem = all[0];
  if (mem === undefined) {
    throw new ValidationError('missing_memory', name,
      'the module has no memory; define one and export it as "memory", or import env.memory (ABI §1)');
  }
  if (mem.is64) {
    throw new ValidationError('unsupported_memory', name,
      'the module uses a 64-bit memory (memory64); zos processes have a 32-bit memory, build for wasm32');
  }
  if (imported.length === 0) {
    const kind = mod.exports.get('memory');
    if (kind !== 'memory') {
      throw new ValidationError('missing_memory', name,
        (kind === undefined
          ? 'the module defines a memory but does not export it as "memory"'
          : `the module exports "memory" as a ${kind}, not a memory`) +
        '; export the memory as "memory" so the runtime can reach it (ABI §1)');
    }
  }
  if (mem.min > limit) {
    throw new ValidationError('memory_over_limit', name,
      `the memory's declared minimum is ${pages(mem.min)}, above the process memory limit of ${pages(limit)}; ` +
      'lower the initial memory (the N in (memory N), or AssemblyScript --initialMemory) ' +
      'or spawn the process with a larger memory limit');
  }
  return {
    imported: imported.length === 1,
    shared: mem.shared,
    minPages: mem.min,
    maxPages: Math.min(mem.max ?? limit, limit),
  };
}

function checkStart(name: string, mod: ParsedModule): void {
  const kind = mod.exports.get('_start');
  if (kind === undefined) {
    throw new ValidationError('missing_start', name,
      'the module does not export "_start"; export the entry function under that name (ABI §1)');
  }
  if (kind !== 'function') {
    throw new ValidationError('start_not_function', name,
      `the module exports "_start" as a ${kind}; it must be the entry function (ABI §1)`);
  }
}

// ---------------------------------------------------------------------------
// The memory-maximum rewrite

/**
 * `bytes` with the memory section re-encoded so that its single memory has
 * maximum `max`. The new limits may be longer than the old (a max appears, the
 * LEBs change length), so the section's size and header are rebuilt.
 */
function withMemoryMaximum(bytes: Uint8Array, section: Span, mem: Limits, max: number): Uint8Array<ArrayBuffer> {
  const flags = LIMITS_HAS_MAX | (mem.shared ? LIMITS_SHARED : 0);
  const body = [...leb128(1), flags, ...leb128(mem.min), ...leb128(max)];
  const header = [SECTION_MEMORY, ...leb128(body.length)];
  const out = new Uint8Array(bytes.length - (section.end - section.start) + header.length + body.length);
  out.set(bytes.subarray(0, section.start));
  out.set(header, section.start);
  out.set(body, section.start + header.length);
  out.set(bytes.subarray(section.end), section.start + header.length + body.length);
  return out;
}

function leb128(value: number): number[] {
  const out: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    out.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return out;
}

// ---------------------------------------------------------------------------
// The binary parser

type ExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';
const EXTERN_KINDS: readonly ExternKind[] = ['function', 'table', 'memory', 'global', 'tag'];

interface FuncType { params: string[]; results: string[] }
interface Limits { min: number; max: number | undefined; shared: boolean; is64: boolean }
/** A byte range [start, end) of the binary. */
interface Span { start: number; end: number }

interface Import {
  module: string;
  field: string;
  kind: ExternKind;
  /** Functions and tags: the type index. */
  typeIndex?: number;
  /** Memories: the declared limits. */
  limits?: Limits;
  /** Offset of the import entry, for error messages. */
  at: number;
}

interface ParsedModule {
  /** Every type by index; null for struct and array types (GC). */
  types: (FuncType | null)[];
  imports: Import[];
  /** The memories the module defines itself, and where its memory section (header included) is. */
  memory: { defined: Limits[]; section?: Span };
  exports: Map<string, ExternKind>;
}

type Fail = (detail: string, offset: number) => never;

function malformed(name: string): Fail {
  return (detail, offset) => {
    throw new ValidationError('malformed', name,
      `not a valid WebAssembly module: ${detail} (at byte ${offset}); ` +
      'rebuild it, and check that the file was not truncated or corrupted', offset);
  };
}

const SECTION_CUSTOM = 0;
const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_EXPORT = 7;

/** Known section ids, in the order the binary format requires them (custom sections may go anywhere). */
const SECTION_ORDER: readonly number[] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
const SECTION_NAMES: Readonly<Record<number, string>> = {
  1: 'type', 2: 'import', 3: 'function', 4: 'table', 5: 'memory', 6: 'global', 7: 'export',
  8: 'start', 9: 'element', 10: 'code', 11: 'data', 12: 'data count', 13: 'tag',
};

const LIMITS_HAS_MAX = 0x01;
const LIMITS_SHARED = 0x02;
const LIMITS_64 = 0x04;

const VALUE_TYPES: Readonly<Record<number, string>> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
};
const REF_NULLABLE = 0x63;
const REF = 0x64;
/** One-byte reference types (funcref, externref, anyref... ) lie in this range. */
const REF_SHORTHAND_MIN = 0x69;
const REF_SHORTHAND_MAX = 0x74;
const TYPE_FUNC = 0x60;
const TYPE_STRUCT = 0x5f;
const TYPE_ARRAY = 0x5e;
const TYPE_SUB = 0x50;
const TYPE_SUB_FINAL = 0x4f;
const TYPE_REC = 0x4e;
const PACKED_I8 = 0x78;
const PACKED_I16 = 0x77;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over bytes[pos, end) that reports every overrun or bad integer as malformed. */
class Reader {
  readonly bytes: Uint8Array;
  readonly end: number;
  readonly fail: Fail;
  /** What is being read, for "unexpected end of ..." messages. */
  readonly what: string;
  pos: number;

  constructor(bytes: Uint8Array, start: number, end: number, what: string, fail: Fail) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.what = what;
    this.fail = fail;
  }

  peek(): number {
    if (this.pos >= this.end) this.fail(`unexpected end of ${this.what}`, this.pos);
    return this.bytes[this.pos]!;
  }

  byte(): number {
    const b = this.peek();
    this.pos++;
    return b;
  }

  /** An unsigned LEB128 of at most `bits` bits. Values past 2^53 lose precision; only u32s are used as numbers. */
  uleb(bits: 32 | 64): number {
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let value = 0;
    for (let i = 0; ; i++) {
      const b = this.byte();
      // The last byte may only carry the bits that are left: 4 for a u32, 1 for a u64.
      if (i === maxBytes - 1 && b >> (bits - 7 * i) !== 0) {
        this.fail(`integer too large for u${bits} (LEB128 overflow)`, start);
      }
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return value;
    }
  }

  u32(): number {
    return this.uleb(32);
  }

  name(): string {
    const start = this.pos;
    const length = this.u32();
    if (length > this.end - this.pos) this.fail(`name of ${length} bytes runs past the end of ${this.what}`, start);
    const bytes = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail('name is not valid UTF-8', start);
    }
  }
}

function parse(bytes: Uint8Array, fail: Fail): ParsedModule {
  const r = new Reader(bytes, 0, bytes.length, 'the file', fail);
  const magic = [r.byte(), r.byte(), r.byte(), r.byte()];
  if (magic.join() !== '0,97,115,109') fail('bad magic number (a module starts with "\\0asm")', 0);
  const version = [r.byte(), r.byte(), r.byte(), r.byte()];
  if (version.join() !== '1,0,0,0') {
    // Components (the component model) share the magic and land here too.
    fail(`unsupported version ${version.map((b) => b.toString(16).padStart(2, '0')).join(' ')} ` +
      '(expected 01 00 00 00, a core WebAssembly module)', 4);
  }

  const mod: ParsedModule = { types: [], imports: [], memory: { defined: [] }, exports: new Map() };
  let lastId = -1;
  while (r.pos < r.end) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    if (size > r.end - r.pos) fail(`section of ${size} bytes runs past the end of the file`, start);
    const end = r.pos + size;
    if (id !== SECTION_CUSTOM) {
      const order = SECTION_ORDER.indexOf(id);
      const sectionName = SECTION_NAMES[id];
      if (order < 0 || sectionName === undefined) fail(`unknown section id ${id}`, start);
      if (id === lastId) fail(`duplicate ${sectionName} section`, start);
      if (lastId >= 0 && order < SECTION_ORDER.indexOf(lastId)) {
        fail(`${sectionName} section after the ${SECTION_NAMES[lastId]} section (out of order)`, start);
      }
      lastId = id;
      const s = new Reader(bytes, r.pos, end, `the ${sectionName} section`, fail);
      if (readSection(id, s, mod)) {
        if (s.pos !== end) fail(`${end - s.pos} unexpected bytes at the end of the ${sectionName} section`, s.pos);
        if (id === SECTION_MEMORY) mod.memory.section = { start, end };
      }
    }
    r.pos = end;
  }
  return mod;
}

/** Decodes the sections the checks need into `mod`; false for a section that is only skipped. */
function readSection(id: number, s: Reader, mod: ParsedModule): boolean {
  switch (id) {
    case SECTION_TYPE:
      for (let n = s.u32(); n > 0; n--) {
        if (s.peek() === TYPE_REC) {
          s.byte();
          for (let m = s.u32(); m > 0; m--) mod.types.push(readSubType(s));
        } else {
          mod.types.push(readSubType(s));
        }
      }
      return true;
    case SECTION_IMPORT:
      for (let n = s.u32(); n > 0; n--) mod.imports.push(readImport(s));
      return true;
    case SECTION_MEMORY:
      for (let n = s.u32(); n > 0; n--) mod.memory.defined.push(readMemoryType(s));
      return true;
    case SECTION_EXPORT:
      for (let n = s.u32(); n > 0; n--) {
        const name = s.name();
        const kind = readExternKind(s);
        s.u32(); // the index; WebAssembly.validate checks its range
        mod.exports.set(name, kind);
      }
      return true;
    default:
      return false;
  }
}

function readExternKind(s: Reader): ExternKind {
  const at = s.pos;
  const kind = EXTERN_KINDS[s.byte()];
  return kind ?? s.fail(`unknown import/export kind 0x${s.bytes[at]!.toString(16)}`, at);
}

function readImport(s: Reader): Import {
  const at = s.pos;
  const module = s.name();
  const field = s.name();
  const kind = readExternKind(s);
  const imp: Import = { module, field, kind, at };
  switch (kind) {
    case 'function':
      imp.typeIndex = s.u32();
      break;
    case 'table':
      readValueType(s);
      readLimits(s);
      break;
    case 'memory':
      imp.limits = readMemoryType(s);
      break;
    case 'global':
      readValueType(s);
      readMutability(s);
      break;
    case 'tag':
      if (s.byte() !== 0) s.fail('tag attribute must be 0', s.pos - 1);
      imp.typeIndex = s.u32();
      break;
  }
  return imp;
}

function readLimits(s: Reader): Limits {
  const at = s.pos;
  const flags = s.byte();
  if ((flags & ~(LIMITS_HAS_MAX | LIMITS_SHARED | LIMITS_64)) !== 0) {
    s.fail(`invalid limits flags 0x${flags.toString(16)}`, at);
  }
  const is64 = (flags & LIMITS_64) !== 0;
  const min = s.uleb(is64 ? 64 : 32);
  const max = (flags & LIMITS_HAS_MAX) !== 0 ? s.uleb(is64 ? 64 : 32) : undefined;
  return { min, max, shared: (flags & LIMITS_SHARED) !== 0, is64 };
}

function readMemoryType(s: Reader): Limits {
  const at = s.pos;
  const limits = readLimits(s);
  if (limits.shared && limits.max === undefined) s.fail('a shared memory must declare a maximum', at);
  return limits;
}

function readSubType(s: Reader): FuncType | null {
  const prefix = s.peek();
  if (prefix === TYPE_SUB || prefix === TYPE_SUB_FINAL) {
    s.byte();
    for (let n = s.u32(); n > 0; n--) s.u32(); // supertype indices
  }
  const at = s.pos;
  switch (s.byte()) {
    case TYPE_FUNC:
      return { params: readResultType(s), results: readResultType(s) };
    case TYPE_STRUCT:
      for (let n = s.u32(); n > 0; n--) readFieldType(s);
      return null;
    case TYPE_ARRAY:
      readFieldType(s);
      return null;
    default:
      return s.fail(`unknown type form 0x${s.bytes[at]!.toString(16)}`, at);
  }
}

function readResultType(s: Reader): string[] {
  const types: string[] = [];
  for (let n = s.u32(); n > 0; n--) types.push(readValueType(s));
  return types;
}

function readFieldType(s: Reader): void {
  const b = s.peek();
  if (b === PACKED_I8 || b === PACKED_I16) s.byte();
  else readValueType(s);
  readMutability(s);
}

function readMutability(s: Reader): void {
  if (s.byte() > 1) s.fail('mutability must be 0 or 1', s.pos - 1);
}

/** A value type's name; every reference type is just "ref", as the ABI signatures use only i32. */
function readValueType(s: Reader): string {
  const at = s.pos;
  const b = s.byte();
  const numeric = VALUE_TYPES[b];
  if (numeric !== undefined) return numeric;
  if (b >= REF_SHORTHAND_MIN && b <= REF_SHORTHAND_MAX) return 'ref';
  if (b === REF || b === REF_NULLABLE) {
    // Heap type: an s33, either one byte 0x40..0x7f (negative: an abstract
    // type such as func or extern) or a non-negative type index.
    if ((s.peek() & 0xc0) === 0x40) s.byte();
    else s.u32();
    return 'ref';
  }
  return s.fail(`invalid value type 0x${b.toString(16)}`, at);
}
