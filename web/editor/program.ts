// A program as the editor keeps it: a name (one init will spawn), a
// language and its source. The shape is checked wherever a program comes
// from outside the editor's own memory: IndexedDB, a shared link.

import { z } from 'zod';
import { programNameProblem } from '../user-programs.ts';
import type { Language } from './templates.ts';

export interface Program {
  name: string;
  language: Language;
  source: string;
}

/** Longest source kept or shared: far above any program one writes by hand. */
export const MAX_SOURCE_CHARS = 1_000_000;

export const programSchema = z.object({
  name: z.string().refine((name) => programNameProblem(name) === null, 'not a program name init would spawn'),
  language: z.enum(['as', 'wat']),
  source: z.string().max(MAX_SOURCE_CHARS),
});
