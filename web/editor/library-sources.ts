// The files a program in the editor is compiled against: every file of
// process-lib/ (found by pattern, so files added there later, a generated/
// folder too, come along with no change here) and kernel/abi.ts, which
// process-lib re-exports. Keyed by their path in the repository, as the
// compiler asks for them (compile-as.ts). Loaded with the compiler, never at boot.

const FILES = import.meta.glob(['/process-lib/**/*.ts', '/kernel/abi.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const LIBRARY: ReadonlyMap<string, string> = new Map(
  Object.entries(FILES).map(([path, text]): [string, string] => [path.replace(/^\//, ''), text]),
);
