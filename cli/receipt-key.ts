// The key `zos run --receipt` signs with: an Ed25519 key made on first use
// and kept in the user's config directory, never in the repository. Where:
// $ZOS_CONFIG_DIR/receipt-key when that is set (tests use a temporary
// directory), else $XDG_CONFIG_HOME/zos/receipt-key, else
// ~/.config/zos/receipt-key. The file holds the 32-byte secret as 64 hex
// digits and a newline, readable by its owner only (mode 0600, in a
// directory of mode 0700), as ssh keeps its keys.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { newSigningKey, signingKeyFromSecret, type SigningKey } from '../record/receipt.ts';
import { systemError, UserFileError } from './user-file.ts';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZOS_CONFIG_DIR) return env.ZOS_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'zos');
}

export interface ReceiptKey {
  key: SigningKey;
  path: string;
  /** Whether it was made just now. */
  created: boolean;
}

/** The user's receipt key, made now if there is none. A key file that is not one is a user's mistake (UserFileError). */
export function receiptKey(env: NodeJS.ProcessEnv = process.env): ReceiptKey {
  const found = existingReceiptKey(env);
  if (found) return { ...found, created: false };
  const path = keyPath(env);
  const key = newSigningKey();
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // 'wx': if another run made one meanwhile, do not overwrite it (that run's receipts would no longer match a key here).
    writeFileSync(path, `${bytesToHex(key.secretKey)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return receiptKey(env);
    throw new UserFileError(`the receipt key "${path}" cannot be made: ${systemError(e as NodeJS.ErrnoException)}`);
  }
  return { key, path, created: true };
}

/** The user's receipt key if there is one (null if not); never makes one. */
export function existingReceiptKey(env: NodeJS.ProcessEnv = process.env): { key: SigningKey; path: string } | null {
  const path = keyPath(env);
  const refuse = (why: string): UserFileError => new UserFileError(`the receipt key "${path}" ${why}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refuse(`cannot be read: ${systemError(e as NodeJS.ErrnoException)}`);
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw refuse('is not a zos receipt key (64 hex digits); move it away and a new key is made');
  return { key: signingKeyFromSecret(hexToBytes(text)), path };
}

const keyPath = (env: NodeJS.ProcessEnv): string => join(configDir(env), 'receipt-key');

/** How a key is named to people: the first 16 hex digits of its public key, as a receipt's `publicKey` starts. */
export function keyFingerprint(publicKey: Uint8Array | string): string {
  return (typeof publicKey === 'string' ? publicKey : bytesToHex(publicKey)).slice(0, 16);
}
