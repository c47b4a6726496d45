// A lab's markdown file: YAML front matter (title, goal, steps, hints),
// then the explanation in markdown. Parsed with `yaml` and checked with zod,
// so a mistake in a lab file is a sentence naming the lab and the field,
// shown in the panel and failing `npm test` (test/unit/labs.test.ts), never
// a broken panel. docs/labs.md describes the format.

import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** What "show me" does for a step, and what a student does by hand. */
const actionSchema = z.object({
  /** A command line, typed into a terminal and sent with Enter. */
  type: z.string().min(1).optional(),
  /** Whose terminal `type` and `key` go to: a shell's pid, usually a value such as "{owner}"; the active one when omitted. */
  in: z.string().min(1).optional(),
  /** A key pressed in a terminal. */
  key: z.enum(['ctrl+c']).optional(),
  /** A side panel to show first (processes, capabilities, logs, boots, …). */
  panel: z.string().regex(/^[a-z][a-z-]*$/, 'a panel name such as capabilities').optional(),
  /** A CSS selector of a control to click. */
  click: z.string().min(1).optional(),
  /** A CSS selector of an input or select to set to `value`. */
  fill: z.string().min(1).optional(),
  value: z.string().optional(),
  /** After filling, submit its form (as Enter in the field would). */
  submit: z.boolean().optional(),
  /** A CSS selector of what to point at afterwards. */
  point: z.string().min(1).optional(),
  /** A program template to open in the editor, as an exercise. */
  'open-editor': z.string().min(1).optional(),
}).strict().superRefine((a, ctx) => {
  const kinds = (['type', 'key', 'click', 'fill', 'open-editor'] as const).filter((k) => a[k] !== undefined);
  if (kinds.length > 1) ctx.addIssue({ code: 'custom', message: `one of type, key, click, fill, open-editor per step, not ${kinds.join(' and ')}` });
  if (kinds.length === 0 && a.panel === undefined) ctx.addIssue({ code: 'custom', message: 'an action: type, key, click, fill, open-editor or panel' });
  if (a.fill !== undefined && a.value === undefined) ctx.addIssue({ code: 'custom', message: 'fill needs a value' });
  if (a.submit !== undefined && a.fill === undefined) ctx.addIssue({ code: 'custom', message: '`submit` goes with fill' });
  if (a.in !== undefined && a.type === undefined && a.key === undefined) ctx.addIssue({ code: 'custom', message: '`in` goes with type or key' });
});

export type LabAction = z.infer<typeof actionSchema>;

const stepSchema = z.object({
  /** What to do, in markdown (one paragraph); may name values in braces. */
  text: z.string().min(1),
  /** What "show me" does. */
  do: actionSchema.optional(),
  /** The check (in the lab's module) that says the step is done; without one, a step is done once a later one is. */
  done: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of a check in the lab module').optional(),
}).strict();

export type LabStep = z.infer<typeof stepSchema>;

const frontMatterSchema = z.object({
  title: z.string().min(1),
  /** One line for the list of labs. */
  summary: z.string().min(1),
  /** The goal, in words; the module's `goal` checks it. */
  goal: z.string().min(1),
  steps: z.array(stepSchema).min(1),
  hints: z.array(z.string().min(1)).default([]),
}).strict();

export interface LabDoc {
  /** The file's name without `.md`, e.g. `03-endpoints`. */
  id: string;
  /** Its place in the list, from the file name. */
  number: number;
  title: string;
  summary: string;
  goal: string;
  steps: LabStep[];
  hints: string[];
  /** The explanation, markdown. */
  body: string;
}

export class LabFileError extends Error {
  override readonly name = 'LabFileError';
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const LAB_ID = /^(\d+)-[a-z0-9-]+$/;

/** Parses and checks a lab file; throws LabFileError with a sentence that names the lab and what is wrong. */
export function parseLabFile(id: string, text: string): LabDoc {
  const idMatch = LAB_ID.exec(id);
  if (!idMatch) throw new LabFileError(`lab ${id}: the file name must be NN-name.md (digits, a dash, lower-case words)`);
  // Splitting off the front matter is one regular expression; parsing it is the yaml library's job.
  const fm = FRONT_MATTER.exec(text);
  if (!fm) throw new LabFileError(`lab ${id}: no front matter (a block between --- lines at the top)`);
  let data: unknown;
  try {
    data = parseYaml(fm[1]!);
  } catch (e) {
    throw new LabFileError(`lab ${id}: the front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new LabFileError(`lab ${id}: ${where}${issue.message}`);
  }
  return { id, number: Number(idMatch[1]), ...parsed.data, body: text.slice(fm[0].length).trim() };
}

/** The names in braces in a template, e.g. ["ep", "peer"] for "grant {ep} {peer} w". */
export function namesIn(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
}

/** Every template of a step: its text and its action's strings. */
export function templatesOf(step: LabStep): string[] {
  const a = step.do;
  return [step.text, ...(a ? [a.type, a.in, a.click, a.fill, a.value, a.point, a['open-editor']] : [])]
    .filter((t): t is string => t !== undefined);
}

/**
 * Fills the names in braces with values; null when one is not known yet
 * (the step it comes from has not been done).
 */
export function fillTemplate(template: string, values: Readonly<Record<string, number | string | undefined>>): string | null {
  let missing = false;
  const out = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    const v = values[name];
    if (v === undefined) {
      missing = true;
      return whole;
    }
    return String(v);
  });
  return missing ? null : out;
}

/** The template for reading: known values filled in, unknown ones as ‹name› (“the pid of the clock, once there is one”). */
export function readableTemplate(template: string, values: Readonly<Record<string, number | string | undefined>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, name: string) => {
    const v = values[name];
    return v === undefined ? `‹${name}›` : String(v);
  });
}

/** Words in a markdown text, as a reader counts them (a link by its words, not its address). */
export function wordCount(markdown: string): number {
  return markdown.replace(/\]\([^)]*\)/g, ' ').replace(/[`*_>#[\]()]/g, ' ').split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
