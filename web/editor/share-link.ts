// A program shared as a link: the page's address with `#program=` and the
// program ({name, language, source} as JSON), deflated (CompressionStream,
// built into the browser) and in base64url. Opening such a link opens the
// editor with that program; nothing is sent anywhere, the link is the program.

import { SHARE_PREFIX } from '../editor-panel.ts';
import { describeIssue } from '../records.ts';
import { programSchema, type Program } from './program.ts';

export { SHARE_PREFIX };

export async function programLink(page: string, program: Program): Promise<string> {
  const json = JSON.stringify({ name: program.name, language: program.language, source: program.source });
  const packed = await transform(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return `${page.replace(/#.*$/, '')}${SHARE_PREFIX}${toBase64Url(packed)}`;
}

/** The program in a `#program=` hash; throws an Error that says what is wrong with the link. */
export async function programFromHash(hash: string): Promise<Program> {
  if (!hash.startsWith(SHARE_PREFIX)) throw new Error('the link carries no program');
  let json: unknown;
  try {
    const packed = fromBase64Url(hash.slice(SHARE_PREFIX.length));
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await transform(packed, new DecompressionStream('deflate-raw'))));
  } catch {
    throw new Error('the link\'s program could not be read: the link is cut short or changed');
  }
  const parsed = programSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the link's program is not valid: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
