// Doing the labs in the browser the way a student does: read the step in
// the Labs panel, then type its command into the right terminal or click
// its control in its panel, with Playwright's real keyboard and mouse.
import { expect, type Page } from 'playwright/test';
import { focusTerminal, typeLine } from './desktop-helpers.ts';

/** How long a step may take to be seen done (a lease lab waits 15 s for its expiry). */
export const STEP_TIMEOUT = 40_000;

export async function showLabs(page: Page): Promise<void> {
  await page.locator('.side-tab[data-panel="labs"]').click();
}

/** Opens a lab from the list (starting an attempt), with the Labs panel shown. */
export async function openLab(page: Page, id: string): Promise<void> {
  await showLabs(page);
  const back = page.getByTestId('labs-back');
  if (await back.isVisible()) await back.click();
  await page.getByTestId(`lab-open-${id}`).click();
  await expect(page.getByTestId('lab-steps')).toBeVisible();
}

export async function goalMet(page: Page): Promise<boolean> {
  return (await page.getByTestId('lab-goal').getAttribute('data-met')) === 'true';
}

/** What step `i` asks for, as the panel shows it (its values filled in). */
async function stepAction(page: Page, i: number): Promise<Record<string, string>> {
  const step = page.getByTestId(`lab-step-${i}`);
  await expect(step, `step ${i} can be done (its values are known)`).toHaveAttribute('data-ready', 'true', { timeout: STEP_TIMEOUT });
  return step.evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

/** Does step `i` by hand, then comes back to the Labs panel and, for a checked step, waits until it is seen done. */
export async function doStepByHand(page: Page, i: number): Promise<void> {
  const a = await stepAction(page, i);
  if (a.doPanel) await page.locator(`.side-tab[data-panel="${a.doPanel}"]`).click();
  if (a.doType !== undefined || a.doKey !== undefined) {
    if (a.doIn) await page.locator(`.term-tab[data-pid="${a.doIn}"]`).click();
    await focusTerminal(page);
    if (a.doKey === 'ctrl+c') await page.keyboard.press('Control+C');
    else await typeLine(page, a.doType!);
  } else if (a.doClick) {
    await page.locator(a.doClick).first().click();
  } else if (a.doFill) {
    const field = page.locator(a.doFill).first();
    if (await field.evaluate((el) => el.tagName === 'SELECT')) await field.selectOption(a.doValue!);
    else await field.fill(a.doValue!);
    if (a.doSubmit === 'true') await field.press('Enter');
  }
  await showLabs(page);
  if (a.checked === 'true') {
    await expect(page.getByTestId(`lab-step-${i}`), `step ${i} is seen done`).toHaveAttribute('data-done', 'true', { timeout: STEP_TIMEOUT });
  }
}

/** Presses "show me" until the goal is met; a step that only points at something is then waited for. */
export async function showMeToTheEnd(page: Page, maxSteps = 12): Promise<void> {
  for (let n = 0; n < maxSteps; n++) {
    await showLabs(page);
    if (await goalMet(page)) return;
    const next = page.locator('.lab-step.next');
    const id = await next.getAttribute('data-testid');
    const a = await next.evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
    const show = page.getByTestId('show-me');
    await expect(show).toBeEnabled({ timeout: STEP_TIMEOUT });
    await show.click();
    await expect(page.locator('.labs-panel')).toHaveAttribute('data-busy', 'false', { timeout: STEP_TIMEOUT });
    const acts = [a.doType, a.doKey, a.doClick, a.doFill].some((x) => x !== undefined);
    if (!acts && a.checked === 'true') {
      await showLabs(page);
      await expect(page.getByTestId(id!), `${id} is seen done`).toHaveAttribute('data-done', 'true', { timeout: STEP_TIMEOUT });
    }
  }
  await showLabs(page);
  expect(await goalMet(page), 'the goal is met after "show me" did every step').toBe(true);
}
