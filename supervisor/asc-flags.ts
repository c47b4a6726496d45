// The AssemblyScript compiler flags every zos program is built with: by
// scripts/build-apps.mjs for apps/, and by the desktop's editor
// (web/editor/compile-as.ts) for programs written in the page. One list, so a
// program built in the page is built exactly like a built-in one. The flags
// follow from how this runtime runs a process:
//
// - the incremental runtime frees memory: shells and servers run indefinitely;
// - memory is imported, so the memory limit the supervisor sets is the
//   module's maximum, and memory.grow fails past it instead of the process
//   faulting (ABI §1).
export const ASC_FLAGS: readonly string[] = Object.freeze([
  '--optimizeLevel', '3', '--shrinkLevel', '1', '--noAssert', '--runtime', 'incremental', '--importMemory',
]);
