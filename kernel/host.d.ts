// The two host globals the kernel uses. Every JavaScript host zos runs on
// (browsers, Node, workers) has them, but they are not part of the ECMAScript
// library, and the kernel is compiled without the DOM and Node libraries
// (kernel/tsconfig.json) so that nothing else of the host can creep in.

declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
