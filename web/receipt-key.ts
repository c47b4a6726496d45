// The page's receipt signing key: an Ed25519 key made on first use and kept
// in this browser's IndexedDB (a database of its own, so the saved boots'
// schema is not touched), never sent anywhere. Clearing the site's data
// forgets it; receipts signed with it still verify (they carry the public key).

import { openDB } from 'idb';
import { newSigningKey, signingKeyFromSecret, type SigningKey } from '../record/receipt.ts';

const DB_NAME = 'zos-keys';
const STORE = 'keys';
const RECEIPT_KEY = 'receipt-ed25519';

/** The key, made and stored the first time; rejects where IndexedDB is unavailable (the receipt is then not made). */
export async function receiptKey(): Promise<SigningKey> {
  const db = await openDB(DB_NAME, 1, { upgrade: (d) => void d.createObjectStore(STORE) });
  try {
    const secret: unknown = await db.get(STORE, RECEIPT_KEY);
    if (secret instanceof Uint8Array && secret.length === 32) return signingKeyFromSecret(secret);
    const key = newSigningKey();
    await db.put(STORE, key.secretKey, RECEIPT_KEY);
    return key;
  } finally {
    db.close();
  }
}
