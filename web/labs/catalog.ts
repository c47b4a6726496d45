// The labs there are: every labs/NN-name.md with its check module
// labs/NN-name.ts, found by Vite at build time. Adding a lab is adding
// those two files; nothing here names one. Each file is its own chunk,
// fetched when the lab list is first shown.

import type { LabChecks } from '../../labs/api.ts';
import { LabFileError, namesIn, parseLabFile, templatesOf, type LabDoc } from './lab-file.ts';

const TEXTS = import.meta.glob<string>('../../labs/[0-9]*.md', { query: '?raw', import: 'default' });
const MODULES = import.meta.glob<LabChecks>('../../labs/[0-9]*.ts', { import: 'default' });

const idOf = (path: string): string => path.replace(/^.*\//, '').replace(/\.(md|ts)$/, '');

/** The labs' ids (file names without extension), in order. */
export function labIds(): string[] {
  return Object.keys(TEXTS).map(idOf).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
}

export interface Lab {
  doc: LabDoc;
  checks: LabChecks;
}

/** A lab that could not be loaded, and why (a sentence naming the file and the field). */
export interface BrokenLab {
  id: string;
  problem: string;
}

/** Loads a lab's text and checks; a broken lab comes back as a problem, never as an exception. */
export async function loadLab(id: string): Promise<Lab | BrokenLab> {
  const text = TEXTS[`../../labs/${id}.md`];
  const mod = MODULES[`../../labs/${id}.ts`];
  if (!text) return { id, problem: `lab ${id}: no labs/${id}.md` };
  if (!mod) return { id, problem: `lab ${id}: no check module labs/${id}.ts next to its markdown` };
  try {
    const [source, checks] = await Promise.all([text(), mod()]);
    const doc = parseLabFile(id, source);
    const problem = mismatch(doc, checks);
    return problem ? { id, problem } : { doc, checks };
  } catch (e) {
    return { id, problem: e instanceof LabFileError ? e.message : `lab ${id}: ${(e as Error).message}` };
  }
}

/** Built-in values every lab may name: the shell in the active terminal. */
export const BUILTIN_VALUES = ['shell'] as const;

/**
 * What does not fit between a lab's file and its module: a `done:` naming
 * no check, a value in braces the module never gives, a module without a
 * goal. Null when they fit.
 */
export function mismatch(doc: LabDoc, checks: LabChecks | undefined): string | null {
  if (!checks || typeof checks.goal !== 'function' || typeof checks.checks !== 'object') {
    return `lab ${doc.id}: its module must export default defineLab({ checks, goal, values })`;
  }
  const given = new Set<string>([...BUILTIN_VALUES, ...Object.keys(checks.values ?? {})]);
  for (const [i, step] of doc.steps.entries()) {
    if (step.done !== undefined && typeof checks.checks[step.done] !== 'function') {
      return `lab ${doc.id}: steps.${i}.done: no check named ${step.done} in labs/${doc.id}.ts`;
    }
    for (const name of templatesOf(step).flatMap(namesIn)) {
      if (!given.has(name)) return `lab ${doc.id}: steps.${i} names {${name}}, which the values in labs/${doc.id}.ts do not include`;
    }
  }
  return null;
}
