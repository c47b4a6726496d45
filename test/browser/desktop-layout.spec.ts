// Every control of every panel can be reached at a small window (900×700)
// and at the default size (1280×800): scrolled into view the way a user can
// (only containers that scroll), it is the element under the pointer there.
// Live, and again with the timeline open on a past commit above the panels.
import { expect, test, type Page } from 'playwright/test';
import type { PanelName } from '../../web/side-panels.ts';
import { focusTerminal, openDesktop, typeLine, waitForConsole } from './desktop-helpers.ts';

const CONTROLS = 'button, input, select, summary, a[href]';

/** Describes each visible control under `root` that no user scrolling brings under the pointer. */
function unreachable(page: Page, root: string): Promise<string[]> {
  return page.evaluate(([rootSelector, controls]) => {
    const describe = (el: Element): string =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`;
    const missed: string[] = [];
    for (const el of document.querySelector(rootSelector)!.querySelectorAll(controls)) {
      if (!(el as HTMLElement).checkVisibility({ visibilityProperty: true })) continue;
      // Scroll each container a user can scroll (overflow auto or scroll) to bring the control to its middle.
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        const r = el.getBoundingClientRect();
        const box = a.getBoundingClientRect();
        if (/auto|scroll/.test(style.overflowY) && a.scrollHeight > a.clientHeight) a.scrollTop += r.top + r.height / 2 - (box.top + a.clientHeight / 2);
        if (/auto|scroll/.test(style.overflowX) && a.scrollWidth > a.clientWidth) a.scrollLeft += r.left + r.width / 2 - (box.left + a.clientWidth / 2);
      }
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const ok = hit !== null && (hit === el || el.contains(hit) || (hit.tagName === 'LABEL' && hit.contains(el)));
      if (!ok) missed.push(describe(el));
    }
    return missed;
  }, [root, CONTROLS] as const);
}

for (const [width, height] of [[900, 700], [1280, 800]] as const) {
  test(`every control can be reached at ${width}×${height}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const shell = await openDesktop(page);
    // Something in every panel: a running program, a derived and a granted capability, a second terminal.
    await focusTerminal(page);
    await typeLine(page, 'ep');
    await waitForConsole(page, shell, 'created endpoint');
    await typeLine(page, 'derive 3 r');
    await waitForConsole(page, shell, 'derived slot');
    await typeLine(page, 'grant 3 2 rw');
    await page.evaluate(() => window.zos.spawn('clock'));
    await page.evaluate(() => window.zos.openTerminal());
    // A lab in progress: its steps in the Labs panel, its strip over the others.
    await page.evaluate(() => window.zos.showPanel('labs'));
    await page.getByTestId('lab-open-04-grant').click();
    await expect(page.getByTestId('show-me')).toBeVisible();

    const panels = async (when: string): Promise<void> => {
      for (const name of ['processes', 'capabilities', 'graph', 'logs', 'boots', 'labs'] as PanelName[]) {
        if (name === 'graph') await page.evaluate(() => window.zos.graph.open());
        else await page.evaluate((n) => window.zos.showPanel(n), name);
        const panel = `.panel[data-panel="${name}"]`;
        await expect(page.locator(panel).locator(`:is(${CONTROLS}):visible`).first()).toBeVisible();
        if (name === 'processes') await page.getByTestId(`proc-row-${shell}`).locator('td').nth(1).click();
        if (name === 'capabilities') await expect(page.getByTestId(`revoke-${shell}-4`)).toBeAttached();
        if (name === 'graph') {
          // A node picked: its details, with the commits that touched it.
          // The graph may still be settling (a re-layout moves nodes): click where the node is now, until it is picked.
          await expect(async () => {
            // A capability (a leaf: its middle is its own, where a process's is covered by its children).
            const cap = await page.evaluate((p) => window.zos.caps(p).find((c) => c.slot === 0)!.id, shell);
            const box = await page.evaluate((k) => window.zos.graph.box(k), `c${cap}`);
            await page.mouse.click(box!.click.x, box!.click.y);
            await expect(page.getByTestId('graph-touches')).toBeVisible({ timeout: 1000 });
          }).toPass({ timeout: 15_000 });
        }
        expect(await unreachable(page, panel), `${name} at ${width}×${height}, ${when}`).toEqual([]);
        if (name !== 'labs') expect(await unreachable(page, '.lab-strip'), `the lab strip over ${name}, ${when}`).toEqual([]);
      }
    };
    await panels('live');
    expect(await unreachable(page, '.term-tabs'), 'the terminal tab bar').toEqual([]);

    // The timeline open on a past commit, its lists unfolded: every panel below it, and the strip itself.
    await page.getByTestId('timeline-toggle').click();
    await page.evaluate(() => window.zos.timeline.step(-2));
    for (const summary of await page.locator('[data-testid="timeline"] summary').all()) await summary.click();
    expect(await unreachable(page, '[data-testid="timeline"]'), `the timeline at ${width}×${height}`).toEqual([]);
    expect(await unreachable(page, '.side-tabs'), 'the side tab bar').toEqual([]);
    await panels('in the past');
  });
}
