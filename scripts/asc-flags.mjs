// The AssemblyScript compiler flags every zos program is built with: by
// scripts/build-apps.mjs for apps/, and by the desktop's editor
// (web/editor/compile-as.ts) for programs written in the page. One list, so a
// program built in the page is built exactly like a built-in one.
//
// The incremental runtime frees memory: shells and servers run indefinitely.
// Memory is imported so the runtime's memory limit is the module's maximum,
// which makes memory.grow fail past the limit instead of faulting (ABI §1).
export const ASC_FLAGS = Object.freeze([
  '--optimizeLevel', '3', '--shrinkLevel', '1', '--noAssert', '--runtime', 'incremental', '--importMemory',
]);
