// localStorage and sessionStorage where a private window or a setting that
// blocks site data may refuse them (they throw then): every access is allowed
// to fail, and what is not stored is simply not remembered.

type Area = 'local' | 'session';

function area(which: Area): Storage {
  return which === 'local' ? localStorage : sessionStorage;
}

export function storageGet(which: Area, key: string): string | null {
  try { return area(which).getItem(key); } catch { return null; }
}

/** False when the browser refused to store it. */
export function storageSet(which: Area, key: string, value: string): boolean {
  try { area(which).setItem(key, value); return true; } catch { return false; }
}

export function storageRemove(which: Area, key: string): void {
  try { area(which).removeItem(key); } catch { /* nothing was stored then */ }
}
