// zos's version, from package.json: for --version and for a run's record.

import { readFileSync } from 'node:fs';

export function zosVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
