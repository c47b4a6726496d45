// The editor's templates: programs to start from, and the exercises the labs
// open (openInEditor). Their sources are the files in templates/, which a
// test compiles with the real compiler and runs (test/integration/editor-templates.test.ts).

export type Language = 'as' | 'wat';

export interface Template {
  /** Its name in openInEditor() and the menu; also the program's name when opened. */
  id: string;
  language: Language;
  summary: string;
  source: string;
}

const SOURCES = import.meta.glob('./templates/*.{ts,wat}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

const source = (file: string): string => {
  const text = SOURCES[`./templates/${file}`];
  if (text === undefined) throw new Error(`template file templates/${file} is missing`);
  return text;
};

export const TEMPLATES: readonly Template[] = [
  { id: 'hello', language: 'as', summary: 'prints its PID and exits', source: source('hello.ts') },
  { id: 'echo-service', language: 'as', summary: 'registers "echo" with init and answers every CALL', source: source('echo-service.ts') },
  { id: 'echo-client', language: 'as', summary: 'looks "echo" up, calls it and prints the answer', source: source('echo-client.ts') },
  { id: 'derive-pass', language: 'as', summary: 'derives a weaker capability, passes it to another process, revokes it', source: source('derive-pass.ts') },
  { id: 'hello-wat', language: 'wat', summary: 'hello in WebAssembly text, on the plain ABI', source: source('hello-wat.wat') },
];

export function findTemplate(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
