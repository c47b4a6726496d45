// Reading a program named on the command line: a built-in app's name, or a
// path to a .wasm file, read as cli/user-file.ts reads any file (never more
// than the validator's size limit plus one byte).

import { basename } from 'node:path';
import type { AppSource } from '../supervisor/apps.ts';
import { DEFAULT_LIMITS } from '../supervisor/validate.ts';
import { readUserFile, UserFileError } from './user-file.ts';

const PROGRAM = { noun: 'a program binary', hint: 'a program is a .wasm file' };

export interface Program {
  name: string;
  bytes: Uint8Array;
}

/** A name without "/" nor ".wasm" is a built-in app if there is one; anything else is a file. */
export async function loadProgram(arg: string, apps: AppSource, maxBytes = DEFAULT_LIMITS.maxBinaryBytes): Promise<Program> {
  const looksLikeName = !arg.includes('/') && !arg.endsWith('.wasm');
  const builtin = looksLikeName ? apps.get(arg) : undefined;
  if (builtin) return { name: arg, bytes: builtin };
  try {
    return { name: basename(arg).replace(/\.wasm$/, ''), bytes: await readUserFile(arg, maxBytes, PROGRAM) };
  } catch (e) {
    if (looksLikeName && e instanceof UserFileError && e.code === 'ENOENT') {
      throw new UserFileError(`"${arg}" is neither a built-in app (${apps.names().join(', ')}) nor a file`);
    }
    throw e;
  }
}
