// The built-in apps for Node: read from apps/build/ (built by `npm install`).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appTable, BUILTIN_APPS, type AppTable } from './apps.ts';

export const APPS_BUILD_DIR = fileURLToPath(new URL('../apps/build/', import.meta.url));

export function loadBuiltinApps(): AppTable {
  const missing = BUILTIN_APPS.filter((n) => !existsSync(`${APPS_BUILD_DIR}${n}.wasm`));
  if (missing.length > 0) {
    throw new Error(`apps not built (${missing.join(', ')} missing in ${APPS_BUILD_DIR}): run \`npm run build:apps\``);
  }
  return appTable(BUILTIN_APPS.map((n) => [n, new Uint8Array(readFileSync(`${APPS_BUILD_DIR}${n}.wasm`))]));
}
