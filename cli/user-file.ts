// Reading a file named on the command line (a program, a receipt, a trace).
// Only a regular file is read, and never more than its size limit plus one
// byte: /dev/zero, a FIFO or a directory is refused before it is opened (a
// FIFO's open would wait for a writer), and a file that grows past the limit
// while being read is refused, not taken whole.

import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { getSystemErrorMap } from 'node:util';

/** A file that cannot be read: a user's mistake, reported in one line (exit 2). */
export class UserFileError extends Error {
  override readonly name = 'UserFileError';
  /** The system's error code (ENOENT, EACCES...), when the system refused. */
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** What a file is meant to be, for the messages: "a program binary", "a program is a .wasm file". */
export interface FileKind {
  noun: string;
  hint: string;
}

/** Standard input whole, refused once it passes `maxBytes` (UserFileError): for a file named "-". */
export async function readStdin(maxBytes: number, kind: FileKind, input: AsyncIterable<Uint8Array> = process.stdin): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of input) {
    length += chunk.length;
    if (length > maxBytes) throw new UserFileError(`standard input is over the ${maxBytes}-byte limit for ${kind.noun}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

export async function readUserFile(path: string, maxBytes: number, kind: FileKind): Promise<Uint8Array> {
  const refuse = (why: string, code?: string): UserFileError => new UserFileError(`cannot read "${path}": ${why}`, code);
  const check = (s: Stats): void => {
    if (!s.isFile()) throw refuse(`it is ${kindOf(s)}, not a regular file; ${kind.hint}`);
    if (s.size > maxBytes) throw refuse(`it is ${s.size} bytes, over the ${maxBytes}-byte limit for ${kind.noun}`);
  };
  try {
    check(await stat(path));
    // O_NONBLOCK: if the path became a FIFO since the stat, opening it must not wait for a writer.
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const opened = await file.stat();
      check(opened);
      return await readAtMost(file, opened.size, maxBytes, () => refuse(`it grew past the ${maxBytes}-byte limit for ${kind.noun} while being read`));
    } finally {
      await file.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof UserFileError || typeof code !== 'string') throw e;
    throw refuse(systemError(e as NodeJS.ErrnoException), code);
  }
}

/** The whole file, expected to be `size` bytes; `tooLarge()` is thrown once more than `maxBytes` arrive. */
async function readAtMost(file: FileHandle, size: number, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  let buffer = new Uint8Array(size + 1); // one more: to see a file that grew since its stat
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes) throw tooLarge();
      const bigger = new Uint8Array(Math.min(maxBytes + 1, 2 * buffer.length));
      bigger.set(buffer);
      buffer = bigger;
    }
    const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

/** "no such file or directory (ENOENT)": the system's words and code. */
export function systemError(e: NodeJS.ErrnoException): string {
  const words = e.errno === undefined ? undefined : getSystemErrorMap().get(e.errno)?.[1];
  return `${words ?? e.message} (${e.code})`;
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}
