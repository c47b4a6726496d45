// Node's native SHA-256, apart from the Node host so that what only hashes
// (`zos verify`) does not load the worker machinery: the one-shot crypto.hash
// (Node 20.12+) takes the text and encodes it itself; createHash where it is
// missing.

import * as crypto from 'node:crypto';
import type { NativeSha256 } from './fast-sha256.ts';

const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export const nodeSha256: NativeSha256 = oneShot
  ? { bytes: (b: Uint8Array) => oneShot('sha256', b, 'hex'), text: (t: string) => oneShot('sha256', t, 'hex') }
  : { bytes: (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex') };

