// The log viewer: the tails of the SysLog (each request with its response,
// names and results decoded), of the CommitLog (with the hash chain, each
// commit's previous hash → its own) and of the kernel's debug lines.
// Filters by PID and syscall (a commit matches a syscall through the
// request that caused it). While "follow" is on it redraws when the log
// grew, at most at the refresh rate, and stays scrolled to the newest;
// with follow off it holds still. Verify checks the chain and replays it.

import * as A from '../kernel/abi.ts';
import type { SysRequest } from '../kernel/axiom.ts';
import { COMMIT_FIELDS, fieldsOf, type Commit } from '../kernel/commits.ts';
import { argsText, fieldsText, resultText, syscallName } from '../kernel/names.ts';
import { formatNs, h, parseUint, setText, shortHash } from './dom.ts';
import type { Panel } from './panel.ts';
import type { Session } from './session.ts';
import type { OpenTrace, StateSource } from './state-source.ts';
import type { LogsView } from './trace-logs.ts';
import { announceDeskEvent } from './desk-events.ts';
import { tamperTest } from './tamper-test.ts';
import { verifyLive } from './verify-live.ts';

type Mode = 'syslog' | 'commits' | 'debug';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const SYSCALL_NUMS = Object.entries(A).filter(([k, v]) => k.startsWith('SYS_') && typeof v === 'number')
  .map(([, v]) => v as number).sort((a, b) => a - b);

const PID_FIELDS = ['pid', 'from_pid', 'to_pid', 'owner'];

/** What Export downloads (web/run-export.ts). */
export type ExportKind = 'trace' | 'chrome' | 'receipt';

const EXPORTS: [ExportKind, string, string][] = [
  ['trace', 'Trace (.jsonl)', 'the SysLog, the CommitLog from Genesis and the console streams, as JSON Lines: open it here again, or check it with zos verify'],
  ['chrome', 'Chrome trace (.json)', 'for Perfetto or chrome://tracing: a track per process, each syscall a slice, messages as arrows'],
  ['receipt', 'Signed receipt (.json)', "what ran and what it produced, signed with this browser's Ed25519 key: zos verify FILE --trace TRACE checks it"],
];

interface SysRow {
  req: SysRequest;
  result: number | null;
}

export class LogViewer implements Panel {
  readonly element: HTMLElement;
  private mode: Mode = 'syslog';
  private readonly modeTabs: HTMLButtonElement[];
  private readonly pid = h('input', { type: 'text', inputmode: 'numeric', size: 4, placeholder: 'all', 'aria-label': 'filter pid', 'data-testid': 'log-pid' });
  private readonly syscall: HTMLSelectElement;
  private readonly commitType: HTMLSelectElement;
  private readonly rows: HTMLSelectElement;
  private readonly follow = h('input', { type: 'checkbox', checked: true, 'aria-label': 'follow', 'data-testid': 'log-follow' });
  private readonly verifyResult = h('div', { class: 'verify-result', role: 'status', 'data-testid': 'verify-result' });
  private readonly summary = h('div', { class: 'log-summary dim' });
  private readonly body = h('div', { class: 'log-body', 'data-testid': 'log-body' });
  private readonly traceNote = h('div', { class: 'trace-note', role: 'status', 'data-testid': 'trace-note', hidden: true });
  private readonly traceText = h('span');
  private signature = '';
  /** The trace whose logs were drawn last, or null for the live ones: a switch redraws at once. */
  private drawnTrace: OpenTrace | null = null;

  /**
   * `openTrace` reads a trace file the user picked (the desktop shows it, or
   * says why not); `exportRun` downloads this boot's run as a file.
   */
  constructor(private readonly session: Session, private readonly source: StateSource,
    private readonly openTrace: (file: File) => void, private readonly exportRun: (kind: ExportKind) => void) {
    this.modeTabs = (['syslog', 'commits', 'debug'] as Mode[]).map((m) => {
      const b = h('button', { class: 'seg', type: 'button', 'data-mode': m }, m === 'syslog' ? 'SysLog' : m === 'commits' ? 'CommitLog' : 'Debug');
      b.addEventListener('click', () => this.setMode(m));
      return b;
    });
    this.syscall = h('select', { 'aria-label': 'filter syscall', 'data-testid': 'log-syscall' },
      h('option', { value: '' }, 'all syscalls'),
      ...SYSCALL_NUMS.map((n) => h('option', { value: n }, syscallName(n))));
    this.commitType = h('select', { 'aria-label': 'filter commit type', 'data-testid': 'log-commit-type' },
      h('option', { value: '' }, 'all types'), ...Object.keys(COMMIT_FIELDS).map((t) => h('option', { value: t }, t)));
    this.rows = h('select', { 'aria-label': 'rows' }, ...[100, 200, 500, 1000].map((n) => h('option', { value: n, selected: n === 200 }, `last ${n}`)));
    const verify = h('button', { class: 'btn primary', type: 'button', 'data-testid': 'verify-button' }, 'Verify');
    verify.addEventListener('click', () => this.verify());
    const tamper = h('button', { class: 'btn', type: 'button', 'data-testid': 'tamper-button',
      title: 'alter a copy of the CommitLog as a forger would, and see the chain catch it (the live log is untouched)' }, 'Tamper test');
    tamper.addEventListener('click', () => this.tamper());
    const traceInput = h('input', { type: 'file', accept: '.jsonl,application/jsonl,application/x-ndjson', hidden: true, 'data-testid': 'trace-input' });
    traceInput.addEventListener('change', () => {
      const file = traceInput.files?.[0];
      traceInput.value = '';
      if (file) this.openTrace(file);
    });
    const open = h('button', { class: 'btn', type: 'button', 'data-testid': 'open-trace',
      title: 'open a trace (.jsonl, from zos run --trace or Export) read-only: its logs here, its states in the other panels and the timeline' }, 'Open trace…');
    open.addEventListener('click', () => traceInput.click());
    const exports = h('details', { class: 'export-menu' },
      h('summary', { class: 'btn', 'data-testid': 'export-menu', title: 'download this boot as a file' }, 'Export'),
      h('div', { class: 'export-items' }, ...EXPORTS.map(([kind, label, title]) => {
        const b = h('button', { class: 'btn', type: 'button', 'data-testid': `export-${kind}`, title }, label);
        b.addEventListener('click', () => {
          exports.open = false;
          this.exportRun(kind);
        });
        return b;
      })));
    const live = h('button', { class: 'btn', type: 'button', 'data-testid': 'trace-close' }, 'Back to live');
    live.addEventListener('click', () => this.source.goLive());
    this.traceNote.append(this.traceText, live);
    for (const el of [this.pid, this.syscall, this.commitType, this.rows, this.follow]) {
      el.addEventListener(el === this.pid ? 'input' : 'change', () => this.redraw());
    }
    this.element = h('div', { class: 'panel log-viewer' },
      h('div', { class: 'toolbar' }, h('div', { class: 'segmented' }, ...this.modeTabs), h('div', { class: 'spacer' }), open, traceInput, exports, tamper, verify),
      this.traceNote,
      this.verifyResult,
      h('div', { class: 'toolbar filters' },
        h('label', {}, 'pid ', this.pid), this.syscall, this.commitType, this.rows,
        h('label', { class: 'check' }, this.follow, ' follow')),
      this.summary,
      this.body);
    this.setMode('syslog');
  }

  setMode(mode: Mode): void {
    this.mode = mode;
    for (const b of this.modeTabs) b.classList.toggle('active', b.dataset.mode === mode);
    this.commitType.hidden = mode !== 'commits';
    this.syscall.hidden = mode === 'debug';
    this.redraw();
  }

  /** Sets the filters (for the page API and tests). */
  setFilter(pid: number | null, syscall: number | null): void {
    this.pid.value = pid === null ? '' : String(pid);
    this.syscall.value = syscall === null ? '' : String(syscall);
    this.redraw();
  }

  /** The logs shown: an opened trace's while the timeline looks at it, else the live kernel's. */
  private logs(): LogsView {
    return this.source.trace?.logs ?? this.session.view;
  }

  update(): void {
    const trace = this.source.trace;
    this.traceNote.hidden = !trace;
    if (trace) {
      setText(this.traceText, `Trace ${trace.name}, read-only: ${trace.run.commits.length.toLocaleString('en-US')} commits from Genesis, ` +
        `chain verified and replayed to its state ${shortHash(trace.run.stateHash, 12)}. The Processes, Capabilities and Graph panels ` +
        'and the timeline show it too. ');
    }
    if (trace !== this.drawnTrace) {
      this.drawnTrace = trace;
      this.signature = '';
      setText(this.verifyResult, ''); // it was about the other logs
    }
    if (!this.follow.checked && this.signature !== '') return;
    const k = this.logs();
    const { kept, trimmed } = k.syslogStats();
    const sig = `${this.mode}|${trimmed + kept}|${k.commitCount()}|${this.session.debugLines.length}|${this.filterKey()}`;
    if (sig === this.signature) return;
    this.signature = sig;
    this.render();
  }

  shown(): void {
    this.redraw();
  }

  verify(): void {
    setText(this.verifyResult, 'verifying…');
    this.verifyResult.className = 'verify-result';
    const v = verifyLive(this.logs());
    const chain = v.badSeq === undefined
      ? `chain ok: ${v.commits} commits, head ${shortHash(v.head)}`
      : `chain broken at seq ${v.badSeq}: ${v.reason}`;
    const rep = v.replayMatches
      ? `replay matches the ${this.source.trace ? 'trace\'s' : 'live'} state ${shortHash(v.stateHash, 12)}`
      : `replay does not match: live ${shortHash(v.stateHash, 12)}, replayed ${shortHash(v.replayHash, 12)}`;
    setText(this.verifyResult, `${v.ok ? '✓' : '✗'} ${chain} · ${rep} · ${v.ms.toFixed(0)} ms`);
    this.verifyResult.className = `verify-result ${v.ok ? 'ok' : 'bad'}`;
    announceDeskEvent({ kind: 'verify', ok: v.ok, badSeq: v.badSeq });
  }

  /** The tamper test (tamper-test.ts), on a copy of the log. */
  tamper(): void {
    const r = tamperTest(this.logs());
    if (!r) {
      setText(this.verifyResult, 'Nothing to tamper with yet: the log has no grant and no process start.');
      this.verifyResult.className = 'verify-result';
      return;
    }
    const detected = r.badSeq === r.seq;
    const caught = detected ? `verifying the copy fails at seq ${r.badSeq}: ${r.reason}` : 'verifying the copy did not notice (a bug)';
    setText(this.verifyResult, `Tamper test on a copy: commit ${r.seq} (${r.type}) ${r.change}. ${caught}. ` +
      `Rewriting every hash after it makes the copy's chain whole again, but its head is ${shortHash(r.forgedHead)}, ` +
      `not the real ${shortHash(r.realHead)}, and it replays to state ${shortHash(r.forgedStateHash, 12)}, not ` +
      `${shortHash(r.liveStateHash, 12)}: whoever kept the head sees the forgery. The ${this.source.trace ? 'trace' : 'live log'} is untouched.`);
    this.verifyResult.className = `verify-result ${detected ? 'ok' : 'bad'}`;
    announceDeskEvent({ kind: 'tamper', ok: detected, badSeq: r.badSeq ?? undefined });
  }

  private filterKey(): string {
    return `${this.pid.value}|${this.syscall.value}|${this.commitType.value}|${this.rows.value}`;
  }

  private redraw(): void {
    this.signature = '';
    this.update();
  }

  private render(): void {
    const limit = Number(this.rows.value);
    const pid = parseUint(this.pid.value);
    const num = this.syscall.value === '' ? null : Number(this.syscall.value);
    const html = this.mode === 'syslog' ? this.sysLogHtml(limit, pid, num)
      : this.mode === 'commits' ? this.commitsHtml(limit, pid, num) : this.debugHtml(limit, pid);
    this.body.innerHTML = html;
    if (this.follow.checked) this.body.scrollTop = this.body.scrollHeight;
  }

  /** The newest requests with their responses, from a window of the ring. */
  private sysLogRows(window: number): SysRow[] {
    const rows = new Map<number, SysRow>();
    for (const e of this.logs().syslog(window)) {
      if (e.kind === 'request') rows.set(e.id, { req: e, result: null });
      else {
        const row = rows.get(e.request_id);
        if (row) row.result = e.result;
      }
    }
    return [...rows.values()];
  }

  private sysLogHtml(limit: number, pid: number | null, num: number | null): string {
    const log = this.logs().syslogStats();
    const filtered = pid !== null || num !== null;
    const window = Math.min(log.kept, filtered ? 50_000 : limit * 2 + 200);
    const rows = this.sysLogRows(window).filter((r) => (pid === null || r.req.pid === pid) && (num === null || r.req.num === num));
    const shown = rows.slice(-limit);
    setText(this.summary, `${log.kept.toLocaleString('en-US')} events kept${log.trimmed ? `, ${log.trimmed.toLocaleString('en-US')} trimmed` : ''} · showing ${shown.length} requests${filtered ? ` matching, of the last ${window.toLocaleString('en-US')} events` : ''}`);
    const body = shown.map(({ req, result }) => {
      const by = req.by !== undefined ? `<span class="badge" title="made by pid ${req.by} on this process's behalf">by ${req.by}</span>` : '';
      const text = result === null ? '' : resultText(req.num, result);
      const res = result === null ? '<span class="dim">…waiting</span>' : escapeHtml(text);
      const bad = /^E_/.test(text) && text !== 'E_OK' ? ' class="err"' : '';
      return `<tr data-pid="${req.pid}" data-num="${req.num}"><td class="num dim">${req.id}</td><td class="num dim">${formatNs(req.time)}</td>`
        + `<td class="num">${req.pid}</td><td class="sys">${escapeHtml(syscallName(req.num))}${by}</td>`
        + `<td class="dim">${escapeHtml(argsText(req.num, req.args))}</td><td${bad}>${res}</td></tr>`;
    }).join('');
    return `<table class="grid log syslog" data-testid="syslog-table"><thead><tr><th>id</th><th>t (s)</th><th>pid</th><th>syscall</th><th>args</th><th>result</th></tr></thead><tbody>${body}</tbody></table>`;
  }

  private commitsHtml(limit: number, pid: number | null, num: number | null): string {
    const commits = this.logs().commits();
    // The syscall behind each commit, where its request is still in the SysLog ring.
    const causes = new Map<number, SysRequest>();
    for (const e of this.logs().syslog(20_000)) if (e.kind === 'request') causes.set(e.id, e);
    const type = this.commitType.value;
    const out: Commit[] = [];
    for (let i = commits.length - 1; i >= 0 && out.length < limit; i--) {
      const c = commits[i]!;
      if (type && c.type !== type) continue;
      if (pid !== null && !PID_FIELDS.some((f) => fieldsOf(c)[f] === pid)) continue;
      if (num !== null && (c.caused_by === null || causes.get(c.caused_by)?.num !== num)) continue;
      out.push(c);
    }
    out.reverse();
    const all = this.logs().commitCount();
    const kept = all === commits.length ? '' : ` (the newest ${commits.length.toLocaleString('en-US')} in memory, older ones saved)`;
    setText(this.summary, `${all.toLocaleString('en-US')} commits${kept} · showing ${out.length}`);
    const body = out.map((c) => {
      const fields = fieldsText(c);
      const req = c.caused_by === null ? undefined : causes.get(c.caused_by);
      const cause = c.caused_by === null ? '<span class="dim" title="made by the supervisor, not by a syscall">pid 0</span>'
        : `<span title="SysLog request #${c.caused_by}">#${c.caused_by}</span>${req ? ` <span class="sys">${escapeHtml(syscallName(req.num))}</span><span class="dim">·${req.pid}</span>` : ''}`;
      return `<tr data-seq="${c.seq}" title="t = ${formatNs(c.time)} s"><td class="num">${c.seq}</td>`
        + `<td class="type t-${c.type}">${c.type}</td><td class="fields">${escapeHtml(fields)}</td><td class="cause">${cause}</td>`
        + `<td class="chain-link" title="prev ${c.prev_hash}\nhash ${c.hash}"><code class="dim">${shortHash(c.prev_hash, 6)}</code> → <code>${shortHash(c.hash, 6)}</code></td></tr>`;
    }).join('');
    return `<table class="grid log commits" data-testid="commit-table"><thead><tr><th>seq</th><th>type</th><th>fields</th><th>caused by</th><th>prev → hash</th></tr></thead><tbody>${body}</tbody></table>`;
  }

  private debugHtml(limit: number, pid: number | null): string {
    const lines = this.session.debugLines.filter((d) => pid === null || d.pid === pid).slice(-limit);
    setText(this.summary, `${this.session.debugLines.length} debug lines kept · showing ${lines.length}`);
    const body = lines.map((d) => `<tr><td class="num dim">${formatNs(d.time)}</td><td class="num">${d.pid}</td><td>${escapeHtml(d.text)}</td></tr>`).join('');
    return `<table class="grid log debug"><thead><tr><th>t (s)</th><th>pid</th><th>text</th></tr></thead><tbody>${body}</tbody></table>`;
  }
}
