import type { Case } from '../model.ts';
export function fuzzSettings() { return { seed: 1, runs: 0 }; }
export function fuzzCases(): Case[] { return []; }
