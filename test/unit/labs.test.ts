// The lab files: every labs/NN-name.md parses, fits its check module, and
// keeps its explanation short; a broken lab file is a sentence that names
// the lab and the field. (test/unit/lab-checks.test.ts runs the checks
// against a real kernel; test/browser/labs.spec.ts does every lab in Chromium.)

import { describe, expect, it } from 'vitest';
import { labIds, loadLab, mismatch, type Lab } from '../../web/labs/catalog.ts';
import { fillTemplate, namesIn, parseLabFile, readableTemplate, wordCount } from '../../web/labs/lab-file.ts';

const MAX_WORDS = 150;

/** The topics the issue asks for, in its order: each must be a lab, in this order. */
const TOPICS = [/process/i, /cspace/i, /endpoint/i, /grant/i, /derive/i, /revoke/i, /call|service/i, /send_cap|moving/i, /fault/i, /audit/i];

async function allLabs(): Promise<Lab[]> {
  const loaded = await Promise.all(labIds().map((id) => loadLab(id)));
  for (const lab of loaded) if (!('doc' in lab)) throw new Error(lab.problem);
  return loaded as Lab[];
}

describe('the labs', () => {
  it('every lab file parses and fits its check module', async () => {
    const labs = await allLabs();
    expect(labs.length).toBeGreaterThanOrEqual(10);
    for (const lab of labs) expect(mismatch(lab.doc, lab.checks), lab.doc.id).toBeNull();
  });

  it(`each explanation is at most ${MAX_WORDS} words`, async () => {
    for (const { doc } of await allLabs()) expect(wordCount(doc.body), doc.id).toBeLessThanOrEqual(MAX_WORDS);
  });

  it('they are numbered in order, with the topics in the order the issue gives', async () => {
    const labs = await allLabs();
    const numbers = labs.map((l) => l.doc.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    let at = -1;
    for (const topic of TOPICS) {
      const i = labs.findIndex((l, index) => index > at && topic.test(`${l.doc.id} ${l.doc.title}`));
      expect(i, `a lab about ${topic} after lab ${at + 1}`).toBeGreaterThan(at);
      at = i;
    }
  });

  it('every step that types a command or clicks can be done by "show me"; every lab has hints', async () => {
    for (const { doc } of await allLabs()) {
      expect(doc.hints.length, doc.id).toBeGreaterThan(0);
      for (const step of doc.steps) expect(step.do, `${doc.id}: ${step.text}`).toBeDefined();
    }
  });
});

describe('a lab file', () => {
  const good = (front: string, body = 'Some words.'): string => `---\n${front}\n---\n${body}\n`;
  const base = 'title: T\nsummary: S\ngoal: G\nhints: [h]\nsteps:\n';

  it('parses front matter and body', () => {
    const doc = parseLabFile('07-thing', good(`${base}  - text: do it\n    do: { type: "ep" }\n    done: made`));
    expect(doc).toMatchObject({ id: '07-thing', number: 7, title: 'T', goal: 'G', hints: ['h'], body: 'Some words.' });
    expect(doc.steps).toEqual([{ text: 'do it', do: { type: 'ep' }, done: 'made' }]);
  });

  it.each([
    ['no front matter', 'just text', /no front matter/],
    ['bad YAML', good('title: [unclosed'), /not valid YAML/],
    ['a missing field', good('title: T\nsummary: S\nsteps: [{text: x, do: {type: ep}}]'), /goal/],
    ['a misspelt key', good(`${base}  - text: x\n    do: { tpye: "ep" }`), /steps\.0\.do/],
    ['two actions in one step', good(`${base}  - text: x\n    do: { type: "ep", click: ".x" }`), /one of type, key, click, fill, open-editor per step/],
    ['fill without a value', good(`${base}  - text: x\n    do: { fill: "input" }`), /fill needs a value/],
    ['no action', good(`${base}  - text: x\n    do: { point: ".x" }`), /an action/],
  ])('with %s says what is wrong and where', (_what, text, message) => {
    expect(() => parseLabFile('03-x', text)).toThrow(message);
    expect(() => parseLabFile('03-x', text)).toThrow(/^lab 03-x: /);
  });

  it('must be named NN-name', () => {
    expect(() => parseLabFile('grant', good(base))).toThrow(/NN-name\.md/);
  });

  it('does not fit a module that lacks a check or a value it names', async () => {
    const lab = await loadLab(labIds()[0]!);
    if (!('doc' in lab)) throw new Error(lab.problem);
    const doc = { ...lab.doc, steps: [{ text: 'x {nothing}', do: { type: 'ep' } }] };
    expect(mismatch(doc, lab.checks)).toMatch(/names \{nothing\}/);
    expect(mismatch({ ...lab.doc, steps: [{ text: 'x', done: 'noSuchCheck' }] }, lab.checks)).toMatch(/no check named noSuchCheck/);
    expect(mismatch(lab.doc, undefined)).toMatch(/defineLab/);
  });
});

describe('templates', () => {
  it('fill in values, or wait for them', () => {
    expect(namesIn('grant {ep} {peer} rw')).toEqual(['ep', 'peer']);
    expect(fillTemplate('grant {ep} {peer} rw', { ep: 3, peer: 7 })).toBe('grant 3 7 rw');
    expect(fillTemplate('grant {ep} {peer} rw', { ep: 3, peer: undefined })).toBeNull();
    expect(readableTemplate('grant {ep} {peer} rw', { ep: 3 })).toBe('grant 3 ‹peer› rw');
  });

  it('count words as a reader does', () => {
    expect(wordCount('A **process** is `ps`, see [the ABI](docs/abi.md).\n\n- one\n- two')).toBe(9);
  });
});
