// The editor pane: a program in AssemblyScript (against process-lib) or WAT,
// edited with CodeMirror 6. The text is compiled in the compiler's worker at
// each pause in typing, and what the compiler said is marked at its line;
// Run starts the binary (compiling first if that text was not compiled yet)
// in a terminal tab of its own. Programs are kept
// in IndexedDB as they are edited, and one can be shared as a link that
// carries its source.
//
// This module and everything it imports load only when the editor is first
// opened (web/editor-panel.ts imports it dynamically): booting the desktop
// never pays for CodeMirror or the compilers.

import { javascript } from '@codemirror/lang-javascript';
import { wast } from '@codemirror/lang-wast';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { keymap } from '@codemirror/view';
import { basicSetup, EditorView } from 'codemirror';
import { formatBytes, h, setText } from '../dom.ts';
import { freeName, programNameProblem, type StartedProgram } from '../user-programs.ts';
import { programPath } from './compile-as.ts';
import { watPath } from './compile-wat.ts';
import type { Compiler } from './compiler.ts';
import { diagnosticLine, type CompileResult, type SourceDiagnostic } from './diagnostics.ts';
import { MAX_SOURCE_CHARS, type Program } from './program.ts';
import { ProgramStore, type StoredProgram } from './program-store.ts';
import { programFromHash, programLink } from './share-link.ts';
import { findTemplate, TEMPLATES, type Language } from './templates.ts';

/** What to open: a template by its id, or a program's source. */
export type EditorOpen = string | { source: string; language?: Language; name?: string };

export interface EditorHost {
  /** Starts a binary in a new terminal tab; throws the validator's (or the kernel's) refusal. */
  run(name: string, bytes: Uint8Array): StartedProgram;
}

export interface EditorSnapshot {
  name: string;
  language: Language;
  source: string;
  /** Whether it is kept in IndexedDB (a template or a shared program is kept once edited or run). */
  saved: boolean;
  /** What the compiler said the last time, about this program's own file and the library's. */
  diagnostics: SourceDiagnostic[];
  status: string;
}

export interface RunOutcome extends StartedProgram {
  compileMs: number;
}

const SAVE_DELAY_MS = 400;
/** A pause in typing this long compiles the text in the background, for its errors and for Run. */
const CHECK_DELAY_MS = 700;
const LANGUAGE_NAMES: Record<Language, string> = { as: 'AssemblyScript', wat: 'WAT' };
const EXTENSIONS: Record<Language, string> = { as: '.ts', wat: '.wat' };

export class EditorPane {
  readonly element: HTMLElement;
  private readonly view: EditorView;
  private readonly language = new Compartment();
  private readonly nameInput = h('input', { type: 'text', 'aria-label': 'program name', spellcheck: false, class: 'program-name' });
  private readonly languageSelect = h('select', { 'aria-label': 'language' },
    ...(Object.keys(LANGUAGE_NAMES) as Language[]).map((l) => h('option', { value: l }, LANGUAGE_NAMES[l])));
  private readonly runButton = h('button', { class: 'btn primary', type: 'button', title: 'Compile, then run in a new terminal tab (Ctrl+Enter)' }, 'Run ▶');
  private readonly templateSelect = h('select', { 'aria-label': 'new from template' });
  private readonly savedSelect = h('select', { 'aria-label': 'saved programs' });
  private readonly status = h('div', { class: 'form-result editor-status', role: 'status', 'data-testid': 'editor-status' });
  private readonly problems = h('ul', { class: 'problems', 'data-testid': 'editor-problems' });
  private readonly shareOutput = h('input', { type: 'text', readonly: true, hidden: true, 'aria-label': 'share link', class: 'share-link' });
  private program: Program;
  private saved = false;
  private savedPrograms: StoredProgram[] = [];
  private diagnostics: SourceDiagnostic[] = [];
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | null = null;
  /** The last compile asked for, by its exact input: a Run of the same text uses it, done or under way. */
  private compiled: { key: string; result: Promise<CompileResult> } | null = null;
  private running: Promise<RunOutcome> | null = null;
  /** Bumped whenever another program is shown: a compile's answer belongs to the program it was asked for. */
  private shown = 0;
  private readonly store: Promise<ProgramStore | null>;
  /** Settles once the last program worked on is shown; an open() waits for it so it is not overridden. */
  private readonly ready: Promise<void>;

  constructor(private readonly host: EditorHost, private readonly compiler: Compiler) {
    const first = TEMPLATES[0]!;
    this.program = { name: freeName(first.id, () => false), language: first.language, source: first.source };
    this.view = new EditorView({ state: this.stateFor(this.program) });
    this.element = h('div', { class: 'editor-pane' },
      h('div', { class: 'toolbar' },
        h('label', {}, 'Program ', this.nameInput),
        this.languageSelect,
        this.runButton,
        h('div', { class: 'spacer' }),
        h('button', { class: 'btn', type: 'button', title: 'A link that carries this program: opening it opens the editor with it', onclick: () => void this.share() }, 'Share'),
        h('button', { class: 'btn', type: 'button', title: 'Save the source as a file', onclick: () => this.download() }, 'Download')),
      h('div', { class: 'toolbar' },
        this.templateSelect,
        this.savedSelect,
        h('button', { class: 'btn small danger', type: 'button', title: 'Remove this program from the saved ones (the text stays here)', onclick: () => void this.removeSaved() }, 'Delete'),
        this.shareOutput),
      h('div', { class: 'editor-host' }, this.view.dom),
      h('section', { class: 'editor-output' }, this.status, this.problems));
    this.templateSelect.replaceChildren(h('option', { value: '' }, 'New from template…'),
      ...TEMPLATES.map((t) => h('option', { value: t.id }, `${t.id} — ${t.summary}`)));
    this.wire();
    this.showProgram();
    this.store = ProgramStore.open().catch((e: unknown) => {
      this.say(`programs are not kept: ${(e as Error).message || String(e)}`, 'bad');
      return null;
    });
    this.ready = this.resumeLast();
    void this.compiler.warm(this.program.language);
  }

  /** Opens a template (as a new program) or a given source; resolves when it is shown. */
  async open(what: EditorOpen): Promise<void> {
    await this.ready;
    await this.flushSave();
    if (typeof what === 'string') {
      const template = findTemplate(what);
      if (!template) throw new Error(`no template "${what}" (templates: ${TEMPLATES.map((t) => t.id).join(', ')})`);
      this.load({ name: this.freeName(template.id), language: template.language, source: template.source }, false);
      this.say(`new program ${this.program.name}, from the ${template.id} template: kept once you edit or run it`);
      return;
    }
    const language = what.language ?? 'as';
    if (language !== 'as' && language !== 'wat') throw new Error(`unknown language "${String(language)}": "as" or "wat"`);
    if (what.source.length > MAX_SOURCE_CHARS) throw new Error(`the source is over ${MAX_SOURCE_CHARS} characters`);
    const wanted = what.name ?? 'program';
    const problem = programNameProblem(wanted);
    if (problem) throw new Error(problem);
    this.load({ name: this.freeName(wanted), language, source: what.source }, false);
    this.say(`opened ${this.program.name}: kept once you edit or run it`);
  }

  /** Opens the program a `#program=` link carries. */
  async openLink(hash: string): Promise<void> {
    await this.ready;
    await this.flushSave();
    try {
      const program = await programFromHash(hash);
      this.load({ ...program, name: this.freeName(program.name) }, false);
      this.say(`opened ${this.program.name} from a shared link: kept once you edit or run it`);
    } catch (e) {
      this.say((e as Error).message, 'bad');
      throw e;
    }
  }

  /** Compiles the program and runs it in a new terminal tab. Rejects with what went wrong (also shown). */
  run(): Promise<RunOutcome> {
    this.running ??= this.compileAndRun().finally(() => {
      this.running = null;
      this.runButton.disabled = false;
    });
    return this.running;
  }

  snapshot(): EditorSnapshot {
    return { ...this.program, source: this.text(), saved: this.saved, diagnostics: [...this.diagnostics], status: this.status.textContent ?? '' };
  }

  /** Replaces the text (as typing would: it is kept). */
  setSource(source: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: source } });
  }

  async shareLink(): Promise<string> {
    return programLink(location.href, { ...this.program, source: this.text() });
  }

  // ---------------------------------------------------------------------

  private wire(): void {
    this.runButton.addEventListener('click', () => void this.run().catch(() => {}));
    this.nameInput.addEventListener('change', () => void this.rename(this.nameInput.value.trim()));
    this.languageSelect.addEventListener('change', () => {
      this.program.language = this.languageSelect.value as Language;
      this.view.dispatch({ effects: this.language.reconfigure(languageSupport(this.program.language)) });
      void this.compiler.warm(this.program.language);
      this.edited();
    });
    this.templateSelect.addEventListener('change', () => {
      const id = this.templateSelect.value;
      this.templateSelect.value = '';
      if (id) void this.open(id);
    });
    this.savedSelect.addEventListener('change', async () => {
      const name = this.savedSelect.value;
      await this.flushSave();
      const chosen = this.savedPrograms.find((p) => p.name === name);
      if (chosen) {
        this.load(chosen, true);
        this.say(`opened ${chosen.name}, saved ${new Date(chosen.savedAt).toLocaleString()}`);
      }
    });
  }

  private stateFor(program: Program): EditorState {
    return EditorState.create({
      doc: program.source,
      extensions: [
        keymap.of([
          { key: 'Mod-Enter', run: () => { void this.run().catch(() => {}); return true; } },
          { key: 'Mod-s', run: () => { void this.saveNow(); return true; }, preventDefault: true },
        ]),
        basicSetup,
        EditorView.lineWrapping, // the side panel is narrow: long lines wrap rather than scroll
        lintGutter(),
        this.language.of(languageSupport(program.language)),
        oneDark,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) this.edited();
        }),
      ] satisfies Extension[],
    });
  }

  /** Shows `program` with a fresh undo history; `saved` says whether it is already kept. */
  private load(program: Program, saved: boolean): void {
    this.cancelSave();
    this.shown++;
    this.program = { ...program };
    this.saved = saved;
    this.diagnostics = [];
    this.view.setState(this.stateFor(this.program));
    this.problems.replaceChildren();
    this.showProgram();
    this.cancelCheck();
    void this.compiler.warm(this.program.language);
  }

  private showProgram(): void {
    this.nameInput.value = this.program.name;
    this.languageSelect.value = this.program.language;
    this.savedSelect.replaceChildren(h('option', { value: '' }, this.savedPrograms.length ? 'Saved programs…' : 'No saved programs'),
      ...this.savedPrograms.map((p) => h('option', { value: p.name }, p.name)));
    this.savedSelect.value = '';
  }

  private text(): string {
    return this.view.state.doc.toString();
  }

  /** The last saved program, if there is one, in place of the first template. */
  private async resumeLast(): Promise<void> {
    await this.refreshSaved();
    const last = this.savedPrograms[0];
    if (last && !this.saved && this.text() === this.program.source) this.load(last, true);
  }

  private async refreshSaved(): Promise<void> {
    const store = await this.store;
    if (!store) return;
    const { programs, problems } = await store.list();
    this.savedPrograms = programs;
    this.showProgram();
    if (problems.length) this.say(problems.join('; '), 'bad');
  }

  private freeName(base: string): string {
    return freeName(base, (name) => this.savedPrograms.some((p) => p.name === name));
  }

  private edited(): void {
    this.cancelSave();
    this.saveTimer = setTimeout(() => void this.saveNow(), SAVE_DELAY_MS);
    this.scheduleCheck(CHECK_DELAY_MS);
  }

  /**
   * Only after typing: a program just opened is not compiled until it is
   * run, so a Run of another one never waits behind a compile nobody asked for.
   */
  private scheduleCheck(delayMs: number): void {
    this.cancelCheck();
    this.checkTimer = setTimeout(() => {
      this.checkTimer = null;
      void this.check();
    }, delayMs);
  }

  private cancelCheck(): void {
    if (this.checkTimer !== null) clearTimeout(this.checkTimer);
    this.checkTimer = null;
  }

  /** Compiles the text shown, in the background: its errors are marked, and a Run of it starts at once. */
  private async check(): Promise<void> {
    const program = { ...this.program, source: this.text() };
    const shown = this.shown;
    let result: CompileResult;
    try {
      result = await this.compile(program);
    } catch {
      return; // a Run reports what is wrong with the compiler
    }
    if (shown !== this.shown || this.text() !== program.source || this.running) return;
    this.showDiagnostics(result, program);
    if (result.binary) this.say(`no errors (compiled in ${Math.round(result.ms)} ms): Run (Ctrl+Enter) starts it`);
    else this.say(`${errorSummary(result)} (checked as you type)`, 'bad');
  }

  /** The compile of exactly `program`: the last one if it was for the same input, else a new one. */
  private compile(program: Program): Promise<CompileResult> {
    const key = JSON.stringify([program.language, program.name, program.source]);
    if (this.compiled?.key === key) return this.compiled.result;
    const result = this.compiler.compile(program.language, program.name, program.source);
    this.compiled = { key, result };
    result.catch(() => {
      if (this.compiled?.result === result) this.compiled = null; // a failed compile is tried again
    });
    return result;
  }

  private cancelSave(): void {
    if (this.saveTimer !== null) clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  /** Saves the edits still waiting for their save, before another program is shown: none is lost. */
  private async flushSave(): Promise<void> {
    if (this.saveTimer !== null) await this.saveNow();
  }

  /** Saves `program`: by default the one shown, as it is at the call (not after the store opens). */
  private async saveNow(program: Program = { ...this.program, source: this.text() }): Promise<void> {
    this.cancelSave();
    const store = await this.store;
    if (!store) return;
    try {
      await store.save(program);
      if (program.name === this.program.name) this.saved = true;
      await this.refreshSaved();
    } catch (e) {
      this.say(`${program.name} could not be saved: ${(e as Error).message}`, 'bad');
    }
  }

  private async rename(name: string): Promise<void> {
    if (name === this.program.name) return;
    const problem = programNameProblem(name) ?? (this.savedPrograms.some((p) => p.name === name) ? `a saved program is already called ${name}` : null);
    if (problem) {
      this.nameInput.value = this.program.name;
      this.say(problem, 'bad');
      return;
    }
    const from = this.program.name;
    this.program.name = name;
    const store = await this.store;
    if (store && this.saved) {
      await store.rename(from, { ...this.program, source: this.text() });
      await this.refreshSaved();
    }
    this.say(`renamed ${from} to ${name}`);
  }

  private async removeSaved(): Promise<void> {
    const store = await this.store;
    if (!store || !this.saved) {
      this.say(`${this.program.name} is not among the saved programs`);
      return;
    }
    this.cancelSave();
    await store.remove(this.program.name);
    this.saved = false;
    await this.refreshSaved();
    this.say(`${this.program.name} removed from the saved programs; the text stays here until you open another (an edit keeps it again)`);
  }

  private async compileAndRun(): Promise<RunOutcome> {
    this.runButton.disabled = true;
    const program = { ...this.program, source: this.text() };
    const shown = this.shown;
    void this.saveNow();
    this.say(`compiling ${program.name} (${LANGUAGE_NAMES[program.language]})…`);
    let result: CompileResult;
    try {
      result = await this.compile(program);
    } catch (e) {
      this.say(`the compiler failed: ${(e as Error).message}`, 'bad');
      throw e;
    }
    if (shown === this.shown) this.showDiagnostics(result, program);
    if (!result.binary) {
      this.say(`${errorSummary(result)}: nothing was started`, 'bad');
      throw new Error(result.diagnostics.map(diagnosticLine).join('\n') || 'the program did not compile');
    }
    const compiled = `compiled in ${Math.round(result.ms)} ms (${formatBytes(result.binary.length)})`;
    try {
      const started = this.host.run(program.name, result.binary);
      this.say(`${compiled}; running as pid ${started.pid}${started.name === program.name ? '' : ` (as ${started.name})`} in its own terminal tab`, 'ok');
      return { ...started, compileMs: result.ms };
    } catch (e) {
      this.say(`${compiled}, but not started: ${(e as Error).message}`, 'bad');
      throw e;
    }
  }

  /** Marks the program's own diagnostics at their place; lists them all below the editor. */
  private showDiagnostics(result: CompileResult, program: Program): void {
    this.diagnostics = result.diagnostics;
    const own = program.language === 'wat' ? watPath(program.name) : programPath(program.name);
    const doc = this.view.state.doc;
    const at = (line: number, column: number): number => {
      const l = doc.line(Math.min(Math.max(1, line), doc.lines));
      return Math.min(l.from + Math.max(0, column - 1), l.to);
    };
    const marks: Diagnostic[] = result.diagnostics.filter((d) => d.file === own).map((d) => {
      const from = at(d.line, d.column);
      return { from, to: Math.max(from, at(d.endLine, d.endColumn)), severity: d.severity, message: d.message, source: program.language === 'wat' ? 'wabt' : 'asc' };
    });
    this.view.dispatch(setDiagnostics(this.view.state, marks));
    this.problems.replaceChildren(...result.diagnostics.map((d) => {
      const where = d.file === own ? `line ${d.line}:${d.column}` : `${d.file}:${d.line}:${d.column}`;
      const item = h('li', { class: d.severity, 'data-line': d.file === own ? d.line : '' },
        h('span', { class: 'where' }, where), ` ${d.severity}: ${d.message}`);
      if (d.file === own) {
        item.addEventListener('click', () => {
          const pos = at(d.line, d.column);
          this.view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
          this.view.focus();
        });
      }
      return item;
    }));
  }

  private async share(): Promise<void> {
    const link = await this.shareLink();
    this.shareOutput.hidden = false;
    this.shareOutput.value = link;
    this.shareOutput.select();
    const copied = await navigator.clipboard?.writeText(link).then(() => true, () => false);
    this.say(`${copied ? 'copied a link' : 'a link (selected above)'} that carries ${this.program.name} (${link.length} characters); opening it opens the editor with this source`, 'ok');
  }

  private download(): void {
    const url = URL.createObjectURL(new Blob([this.text()], { type: 'text/plain' }));
    const a = h('a', { href: url, download: `${this.program.name}${EXTENSIONS[this.program.language]}` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  private say(text: string, kind: 'ok' | 'bad' | '' = ''): void {
    setText(this.status, text);
    this.status.className = `form-result editor-status ${kind}`;
  }
}

/** `2 errors, the first at line 4`. */
function errorSummary(result: CompileResult): string {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  return `${errors.length} error${errors.length === 1 ? '' : 's'}${first ? `, the first at line ${first.line}` : ''}`;
}

function languageSupport(language: Language): Extension {
  return language === 'wat' ? wast() : javascript({ typescript: true });
}
