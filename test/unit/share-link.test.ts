import { describe, expect, it } from 'vitest';
import { programFromHash, programLink, SHARE_PREFIX } from '../../web/editor/share-link.ts';

describe('shared program links', () => {
  const program = { name: 'echo-client', language: 'as' as const, source: 'export function _start(): void {}\n// ünïcode ✓ 🚀\n'.repeat(40) };

  it('a link carries the program, compressed, and gives it back whole', async () => {
    const link = await programLink('http://127.0.0.1:5173/?x=1#old', program);
    expect(link.startsWith(`http://127.0.0.1:5173/?x=1${SHARE_PREFIX}`)).toBe(true);
    expect(link).toMatch(/#program=[A-Za-z0-9_-]+$/);
    expect(link.length).toBeLessThan(program.source.length / 4); // repetitive text deflates well
    expect(await programFromHash(new URL(link).hash)).toEqual(program);
  });

  it('a damaged link is refused with what is wrong, never a stack trace', async () => {
    const link = await programLink('http://x/', program);
    const hash = new URL(link).hash;
    await expect(programFromHash(hash.slice(0, hash.length - 20))).rejects.toThrow(/cut short or changed/);
    await expect(programFromHash('#program=@@@')).rejects.toThrow(/cut short or changed/);
    await expect(programFromHash('#other')).rejects.toThrow(/carries no program/);
  });

  it('a link whose program is not one the editor takes is refused', async () => {
    const bad = await programLink('http://x/', { ...program, name: 'no spaces allowed' });
    await expect(programFromHash(new URL(bad).hash)).rejects.toThrow(/not valid: name: not a program name/);
  });
});
