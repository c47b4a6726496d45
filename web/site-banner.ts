// What the desktop says about the copy of zos it runs (service-worker-client.ts):
// a pill in the top bar (stored for offline use or not, and why), and a
// banner line for what needs the user: a new build waiting for the next
// visit, the build this visit replaced, another tab having switched builds
// under this one, or a file of the build that could not be loaded.

import { h, replaceChildren, setText } from './dom.ts';
import type { SiteStatus, SiteWorker } from './service-worker-client.ts';

/** Boot errors that come from a file of the build not arriving (not from the system itself). */
const LOAD_FAILURE = /fetch|network|load|404|not found|worker error|import/i;

export class SiteBanner {
  readonly element = h('div', { class: 'site-banner', role: 'status', 'data-testid': 'site-banner', hidden: true });
  readonly pill = h('span', { class: 'pill site', 'data-testid': 'site-status', hidden: true });
  private bootProblem: { message: string; siteReachable: boolean } | null = null;
  private dismissed = false;

  constructor(private readonly site: SiteWorker) {
    site.onChange = () => this.render();
    this.render();
  }

  /** The boot failed: when a file of the build did not arrive, say what that means here. */
  async bootFailed(error: unknown): Promise<void> {
    const message = (error as Error)?.message || String(error);
    if (this.site.status.worker === 'dev' || !LOAD_FAILURE.test(message)) return;
    this.bootProblem = { message, siteReachable: await this.site.hostReachable() };
    this.render();
  }

  private render(): void {
    const s = this.site.status;
    this.renderPill(s);
    const line = this.line(s);
    this.element.hidden = line === null;
    if (line) replaceChildren(this.element, ...line);
  }

  private renderPill(s: SiteStatus): void {
    this.pill.hidden = s.worker === 'dev';
    const [text, cls, title] = ((): [string, string, string] => {
      switch (s.worker) {
        case 'ready':
          return ['offline ready', 'ok', `zos ${s.version}${s.build ? `, build ${s.build}` : ''}: every file is stored in this browser, so it also starts without a network`];
        case 'pending':
        case 'installing':
          return ['storing for offline…', 'pending', 'the service worker is storing every file of zos in this browser'];
        default:
          return ['online only', 'bad', `not stored for offline use: the service worker is ${s.worker}${s.problem ? ` (${s.problem})` : ''}`];
      }
    })();
    this.pill.className = `pill site ${cls}`;
    setText(this.pill, text);
    this.pill.title = title;
  }

  private line(s: SiteStatus): (Node | string)[] | null {
    const reload = (text = 'Reload'): HTMLElement => h('button', { class: 'btn small primary', onclick: () => location.reload() }, text);
    if (s.supersededBy) {
      return [`zos has switched to build ${s.supersededBy.build} (${s.supersededBy.version}), in another tab or just now. This page still runs build ${s.build ?? '?'}, whose files are no longer stored: reload to use the new build. `, reload()];
    }
    if (this.bootProblem) {
      const where = this.bootProblem.siteReachable
        ? 'This page may be a stale copy: the site has changed since it was loaded, and the file it asks for is gone.'
        : 'The site cannot be reached (offline, or the host is down), and the copy of zos stored in this browser lacks that file: it was cleared, or the first visit did not finish.';
      return [`A file of zos could not be loaded (${this.bootProblem.message}). ${where} `, reload(),
        ' ', h('button', { class: 'btn small', onclick: () => void this.site.clearOfflineCopy() }, 'Clear the stored copy and reload')];
    }
    if (s.update) {
      return [`zos ${s.update.version} (build ${s.update.build}) has been downloaded. This page keeps running build ${s.build ?? '?'}; the new build starts on your next visit. `,
        h('button', { class: 'btn small primary', onclick: () => void this.site.restartIntoUpdate() }, 'Restart now')];
    }
    if (s.updatedFrom && !this.dismissed) {
      return [`zos was updated: this is ${s.version}, build ${s.build} (it was build ${s.updatedFrom}). `,
        h('button', { class: 'btn small', onclick: () => { this.dismissed = true; this.render(); } }, 'OK')];
    }
    return null;
  }
}
