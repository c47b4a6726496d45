import type { Case } from '../model.ts';
export const hostileCases: Case[] = [];
