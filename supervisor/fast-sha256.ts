// A faster SHA-256 for the kernel's hot path: every commit is hashed, and at
// hundreds of thousands of messages a second the pure-JS default
// (@noble/hashes) is the largest single cost per message. Where the host has
// a native SHA-256 (Node's crypto.hash, one call that also encodes the text:
// about a third of hash-wasm's cost per commit), the host hands it over;
// elsewhere hash-wasm's WebAssembly SHA-256 (a well-kept library; its
// instance is reused, so a hash is one call) gives the same digests about
// twice as fast as the default. Its WebAssembly must be instantiated
// asynchronously, so the supervisor awaits it before booting, and the kernel
// keeps its pure default until then (kernel/axiom.ts useSha256).

import { createSHA256 } from 'hash-wasm';
import { useSha256, type Sha256Hex, type TextSha256Hex } from '../kernel/axiom.ts';

/** A host's own SHA-256: of bytes, and of a text's UTF-8 where it can encode it itself. */
export interface NativeSha256 {
  bytes: Sha256Hex;
  text?: TextSha256Hex;
}

let installed: Promise<void> | null = null;

/** Switches the kernel's hashing to `native`, or else to hash-wasm, once per JavaScript realm; falls back silently to the default. */
export function installFastSha256(native?: NativeSha256): Promise<void> {
  if (native) {
    useSha256(native.bytes, native.text);
    installed = Promise.resolve();
  }
  installed ??= createSHA256().then((hasher) => {
    useSha256((bytes) => {
      hasher.init();
      hasher.update(bytes);
      return hasher.digest('hex');
    });
  }, () => undefined); // no WebAssembly here: @noble/hashes it stays
  return installed;
}
