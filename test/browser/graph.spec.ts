// The Graph panel in Chromium: what it draws for a known scenario made in
// the shell, the mark on what the last commit changed, a click on a node
// (its details, the commits that touched it, a jump to one), the filter by
// process, and a system of 100 processes and 1,000 capabilities.
import { expect, test, type Page } from 'playwright/test';
import * as A from '../../kernel/abi.ts';
import { openDesktop, runCommand } from './desktop-helpers.ts';

/** ep, derive 3 r, grant 3 2 rw in the shell; the capabilities they made. */
async function scenario(page: Page, shell: number) {
  for (const line of ['ep', 'derive 3 r', 'grant 3 2 rw']) await runCommand(page, shell, line);
  const caps = await page.evaluate(() => window.zos.caps());
  const at = (pid: number, slot: number) => caps.find((c) => c.pid === pid && c.slot === slot)!;
  const ep = at(shell, 3);
  return { ep, derived: at(shell, 4), granted: caps.find((c) => c.pid === 2 && c.parent === ep.id)!, own: at(shell, 0) };
}

const ids = (els: { id: string }[]): string[] => els.map((e) => e.id);

test('draws processes, endpoints, capabilities with their rights, and the derivation edges of a known scenario', async ({ page }) => {
  const shell = await openDesktop(page);
  const { ep, derived, granted } = await scenario(page, shell);
  await page.evaluate(() => window.zos.graph.open());
  await expect.poll(() => page.evaluate(() => window.zos.graph.nodes().length)).toBeGreaterThan(10);
  const nodes = await page.evaluate(() => window.zos.graph.nodes());
  const edges = await page.evaluate(() => window.zos.graph.edges());
  const node = (id: string) => nodes.find((n) => n.id === id);
  // Processes hold their capabilities and own their endpoints.
  expect(node(`p${shell}`)).toMatchObject({ kind: 'process', label: `pid ${shell} terminal` });
  expect(node(`e${ep.object}`)).toMatchObject({ kind: 'endpoint', parent: `p${shell}`, label: `ep ${ep.object}` });
  // A capability to its own process's endpoint says so; one to another's is an edge to it.
  expect(node(`c${ep.id}`)).toMatchObject({ kind: 'cap', parent: `p${shell}`, label: `slot 3 rwg\nown ep ${ep.object}` });
  expect(node(`c${derived.id}`)).toMatchObject({ kind: 'cap', parent: `p${shell}`, label: `slot 4 r--\nown ep ${ep.object}` });
  expect(node(`c${granted.id}`)).toMatchObject({ kind: 'cap', parent: 'p2', label: `slot ${granted.slot} rw-` });
  // Derived into: slot 3 → slot 4 (same process) and slot 3 → pid 2's copy.
  const edge = (source: string, target: string, kind: string) => edges.find((e) => e.source === source && e.target === target && e.kind === kind);
  expect(edge(`c${ep.id}`, `c${derived.id}`, 'derived')).toBeTruthy();
  expect(edge(`c${ep.id}`, `c${granted.id}`, 'derived')).toBeTruthy();
  expect(edge(`c${granted.id}`, `e${ep.object}`, 'names')).toBeTruthy();
  expect(edges.filter((e) => e.kind === 'names' && e.target === `e${ep.object}`).map((e) => e.source)).toEqual([`c${granted.id}`]);
  // Every process's slot 2 names init's endpoint 1.
  for (const pid of [2, shell]) {
    const slot2 = await page.evaluate((p) => window.zos.caps(p).find((c) => c.slot === 2)!, pid);
    expect(edge(`c${slot2.id}`, 'e1', 'names'), `pid ${pid} slot 2`).toBeTruthy();
  }
  // Every capability in the system is drawn, and nothing else is a capability.
  const all = await page.evaluate(() => window.zos.caps().map((c) => `c${c.id}`));
  expect(nodes.filter((n) => n.kind === 'cap').map((n) => n.id).sort()).toEqual(all.sort());
  expect(await page.getByTestId('graph-status').textContent()).toContain(`${all.length} of ${all.length} capabilities`);
});

test('marks what the last commit changed, and the mark moves with the next commit', async ({ page }) => {
  const shell = await openDesktop(page);
  const { ep, derived } = await scenario(page, shell);
  await page.evaluate(() => window.zos.graph.open());
  // The grant was the last commit: the new copy and its source are marked.
  const changed = () => page.evaluate(() => window.zos.graph.nodes().filter((n) => n.classes.includes('changed')).map((n) => n.id).sort());
  const granted = await page.evaluate(() => window.zos.commits(1)[0]!.fields as { new_cap_id: number });
  await expect.poll(changed).toEqual([`c${granted.new_cap_id}`, `c${ep.id}`].sort());
  await expect(page.getByTestId('graph-last-commit')).toContainText('CapGranted');
  // A derive from the shell: now only it and its source.
  await runCommand(page, shell, 'derive 4 r');
  const fresh = await page.evaluate((p) => window.zos.caps(p).find((c) => c.slot === 5)!.id, shell);
  await expect.poll(changed).toEqual([`c${derived.id}`, `c${fresh}`].sort());
  await expect(page.getByTestId('graph-last-commit')).toContainText(`pid ${shell} derived slot 5 from its slot 4`);
});

test('clicking a node shows its details and the commits that touched it; a commit there is a jump in time', async ({ page }) => {
  const shell = await openDesktop(page);
  const { ep, derived } = await scenario(page, shell);
  await page.evaluate(() => window.zos.graph.open());
  const box = await page.evaluate((id) => window.zos.graph.box(id), `c${derived.id}`);
  expect(box, 'the derived capability is drawn in view').not.toBeNull();
  await page.mouse.click(box!.click.x, box!.click.y);
  const details = page.getByTestId('graph-details');
  await expect(details).toContainText(`Capability #${derived.id}`);
  const fact = (name: string) => details.locator('.fact', { hasText: name });
  await expect(fact('held by')).toContainText(`pid ${shell} in slot 4`);
  await expect(fact('derived from')).toContainText(`#${ep.id} (pid ${shell} slot 3)`);
  await expect(fact('rights')).toContainText('r--');
  const touch = details.getByTestId('graph-touches').getByRole('button').first();
  await expect(touch).toHaveText(/#\d+ CapGranted/);
  const seq = Number(/#(\d+)/.exec((await touch.textContent())!)![1]);
  await touch.click();
  // The whole desktop is now at that commit: the timeline, and the graph marks what it changed.
  await expect(page.getByTestId('timeline')).toBeVisible();
  expect(await page.evaluate(() => window.zos.timeline.shown())).toMatchObject({ live: false, seq });
  await expect(page.getByTestId('graph-status')).toContainText(`commit ${seq}`);
  await expect.poll(() => page.evaluate((id) => window.zos.graph.nodes().find((n) => n.id === id)?.classes, `c${derived.id}`)).toContain('changed');

  // A process: click its box (the compound's edge, outside its capabilities).
  const proc = await page.evaluate(() => window.zos.graph.box('p2'));
  await page.mouse.click(proc!.click.x, proc!.click.y);
  await expect(details).toContainText('Process pid 2 · permission');
});

test('filters by process: its capabilities and what they connect to, and nothing else', async ({ page }) => {
  const shell = await openDesktop(page);
  const { ep, granted, own } = await scenario(page, shell);
  await page.evaluate(() => window.zos.graph.open());
  await page.getByTestId('graph-filter').selectOption('2');
  await expect.poll(() => page.evaluate(() => window.zos.graph.nodes().some((n) => n.id === 'p1'))).toBe(true);
  const nodes = ids(await page.evaluate(() => window.zos.graph.nodes()));
  const mine = await page.evaluate(() => window.zos.caps(2).map((c) => `c${c.id}`));
  for (const id of mine) expect(nodes).toContain(id);
  expect(nodes).toContain(`c${ep.id}`); // what pid 2's copy was derived from
  expect(nodes).toContain(`e${ep.object}`); // what it names
  expect(nodes).not.toContain(`c${own.id}`); // the shell's own endpoint: not connected to pid 2
  expect(nodes).toContain(`c${granted.id}`);
  await page.getByTestId('graph-filter').selectOption('');
  await expect.poll(() => page.evaluate((id) => window.zos.graph.nodes().some((n) => n.id === id), `c${own.id}`)).toBe(true);
});

test('stays readable at 100 processes and 1,000 capabilities: grouped by process, no process over another, one process in full', async ({ page }) => {
  test.setTimeout(240_000);
  await openDesktop(page);
  // 97 more shells (the first terminal's, init and the permission service make 100), each with capabilities derived.
  const pids: number[] = [];
  for (let i = 0; i < 97; i++) pids.push(await page.evaluate(() => window.zos.spawn('terminal')));
  await page.evaluate(([list, derive, perms]) => {
    let made = window.zos.caps().length;
    for (let i = 0; made < 1000; i++, made++) window.zos.actFor(list[i % list.length]!, derive, 0, perms);
  }, [pids, A.SYS_CAP_DERIVE, A.PERM_READ] as const);
  const counts = await page.evaluate(() => ({ caps: window.zos.caps().length, procs: window.zos.processes().filter((p) => p.status === 'alive').length }));
  expect(counts.caps).toBeGreaterThanOrEqual(1000);
  expect(counts.procs).toBeGreaterThanOrEqual(100);

  await page.evaluate(() => window.zos.graph.open());
  expect(await page.evaluate(() => window.zos.graph.mode())).toBe('grouped');
  const nodes = await page.evaluate(() => window.zos.graph.nodes());
  expect(nodes.filter((n) => n.kind === 'cap')).toHaveLength(0);
  expect(nodes.filter((n) => n.kind === 'process').length).toBeGreaterThanOrEqual(100);
  const target = pids[5]!;
  expect(nodes.find((n) => n.id === `p${target}`)?.label).toMatch(/^pid \d+ terminal\n\d+ caps · 2 endpoints$/);
  await page.getByTestId('graph-fit').click();
  // Laid out: no process's box covers another's.
  const boxes = await page.evaluate(() => window.zos.graph.nodes().filter((n) => n.kind === 'process')
    .map((n) => ({ id: n.id, box: window.zos.graph.box(n.id) })));
  expect(boxes.every((b) => b.box !== null), 'every process in view after Fit').toBe(true);
  const overlapping: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!.box!;
      const b = boxes[j]!.box!;
      const ix = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const iy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (ix > 0.5 && iy > 0.5) overlapping.push(`${boxes[i]!.id}/${boxes[j]!.id} by ${Math.round(ix)}×${Math.round(iy)} px`);
    }
  }
  expect(overlapping).toEqual([]);
  // One process in full: each of its capabilities is a node again.
  await page.evaluate((pid) => window.zos.graph.filter(pid), target);
  expect(await page.evaluate(() => window.zos.graph.mode())).toBe('caps');
  const own = await page.evaluate((pid) => window.zos.caps(pid).map((c) => `c${c.id}`), target);
  const drawn = ids(await page.evaluate(() => window.zos.graph.nodes()));
  for (const id of own) expect(drawn).toContain(id);
  expect(drawn.length).toBeLessThan(60);
});
