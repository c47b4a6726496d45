/// <reference lib="webworker" />
// The verification worker: reads saved boots from IndexedDB, validates every
// record, verifies each chain and replays it, off the page's main thread.
import { expose } from 'comlink';
import { verifySavedBoots, type VerifyApi } from './boot-history.ts';

const api: VerifyApi = { verifyBoots: verifySavedBoots };
expose(api);
