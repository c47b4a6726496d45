// A faster SHA-256 for the kernel's hot path: every commit is hashed, and at
// hundreds of thousands of messages a second the pure-JS default
// (@noble/hashes) is the largest single cost per message. hash-wasm's
// WebAssembly SHA-256 (a well-kept library; its instance is reused, so a hash
// is one call) gives the same digests about twice as fast, in Node and in the
// browser alike. Its WebAssembly must be instantiated asynchronously, so the
// supervisor awaits it before booting, and the kernel keeps its pure default
// until then (kernel/axiom.ts useSha256).

import { createSHA256 } from 'hash-wasm';
import { useSha256 } from '../kernel/axiom.ts';

let installed: Promise<void> | null = null;

/** Switches the kernel's hashing to hash-wasm, once per JavaScript realm; falls back silently to the default. */
export function installFastSha256(): Promise<void> {
  installed ??= createSHA256().then((hasher) => {
    useSha256((bytes) => {
      hasher.init();
      hasher.update(bytes);
      return hasher.digest('hex');
    });
  }, () => undefined); // no WebAssembly here: @noble/hashes it stays
  return installed;
}
