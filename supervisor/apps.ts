// Where the built-in apps' binaries come from: a name → bytes table, filled
// before boot so that init's SPAWN can be answered synchronously.

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
  'init', 'permission', 'terminal', 'hello', 'pingpong', 'sender', 'receiver', 'clock', 'memhog', 'spinner', 'courier',
] as const;

export function appTable(entries: Iterable<[string, Uint8Array]>): AppSource {
  const table = new Map(entries);
  return { get: (name) => table.get(name), names: () => [...table.keys()] };
}
