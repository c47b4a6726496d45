// Where the built-in apps' binaries come from: a name → bytes table, filled
// before boot so that init's SPAWN can be answered synchronously. The desktop
// adds a user's own binaries to it for the rest of the session.

export interface AppSource {
  get(name: string): Uint8Array | undefined;
  names(): string[];
}

export class UnknownAppError extends Error {
  override readonly name = 'UnknownAppError';
  constructor(readonly app: string, known: string[]) {
    super(`process "${app}": no app of that name (known: ${known.join(', ')})`);
  }
}

/** The built-in apps, in the order `help` and the UI list them. */
export const BUILTIN_APPS = [
  'init', 'permission', 'terminal', 'hello', 'pingpong', 'sender', 'receiver', 'clock', 'memhog', 'spinner',
] as const;

/** An AppSource that can take more programs while the system runs (a user's own binaries, for the session). */
export interface AppTable extends AppSource {
  /** Adds `name`, or replaces what it named; spawns by that name use these bytes from now on. */
  add(name: string, bytes: Uint8Array): void;
}

export function appTable(entries: Iterable<[string, Uint8Array]>): AppTable {
  const table = new Map(entries);
  return { get: (name) => table.get(name), names: () => [...table.keys()], add: (name, bytes) => void table.set(name, bytes) };
}
