/**
 * The CLI's side-by-side tables (src/report/columns.ts): one block while the columns fit TABLE_WIDTH, else blocks
 * of about the same number of columns, each repeating the labels; cells padded to their column, no trailing spaces.
 */
import { describe, expect, it } from 'vitest';
import { sideBySide, TABLE_WIDTH } from '../../src/report/columns.js';

const table = (cols: number, cell: (j: number) => string): string[][] => [
  ['', ...Array.from({ length: cols }, (_, j) => `mode${j}`)],
  ['max nodes', ...Array.from({ length: cols }, (_, j) => cell(j))],
  ['  of', ...Array.from({ length: cols }, () => '')],
];

describe('sideBySide', () => {
  it('fits: one block, right-aligned values, labels padded, no trailing spaces', () => {
    expect(sideBySide([['', 'overlay', 'azure'], ['max nodes', '256', '32'], ['  of', 'x', '']], 'right')).toBe(
      ['           overlay  azure', 'max nodes      256     32', '  of             x'].join('\n'),
    );
  });

  it('left-aligned: cells padded after, the last cell unpadded', () => {
    expect(sideBySide([['', 'a', 'bb'], ['row', 'long cell', 'x']], 'left')).toBe(['     a          bb', 'row  long cell  x'].join('\n'));
  });

  it('eleven columns of 20 go in three blocks of 4, 4 and 3, each with the labels, none wider than the width', () => {
    const rows = table(11, (j) => `${j}`.padStart(20, '.'));
    const out = sideBySide(rows, 'right');
    const blocks = out.split('\n\n');
    expect(blocks.map((b) => b.split('\n')[0]!.trim().split(/\s+/).length)).toEqual([4, 4, 3]);
    for (const b of blocks) expect(b.split('\n').map((l) => l.slice(0, 9).trimEnd())).toEqual(['', 'max nodes', '  of']);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(TABLE_WIDTH);
    // Every column appears once, in order.
    expect(out.match(/mode\d+/g)).toEqual(Array.from({ length: 11 }, (_, j) => `mode${j}`));
  });

  it('a column wider than the width alone gets a block of its own', () => {
    const rows = table(3, (j) => (j === 1 ? 'w'.repeat(200) : 'x'));
    const blocks = sideBySide(rows, 'left', 60).split('\n\n');
    expect(blocks.length).toBe(3);
    expect(blocks[1]).toContain('w'.repeat(200));
  });

  it('uneven widths: even blocks only where they fit, else as many as fit in each', () => {
    // Two columns of 40 and two of 5 in 60: the greedy cut is 1 | 2 | 1; three even blocks (2 | 1 | 1) would put
    // both wide columns in the first, which does not fit.
    const rows = table(4, (j) => (j < 2 ? 'y'.repeat(40) : 'z'));
    const out = sideBySide(rows, 'left', 60);
    expect(out.split('\n\n').map((b) => (b.split('\n')[0]!.match(/mode\d+/g) ?? []).length)).toEqual([1, 2, 1]);
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(out.match(/mode\d+/g)).toEqual(['mode0', 'mode1', 'mode2', 'mode3']);
  });

  it('no columns: the labels alone', () => {
    expect(sideBySide([[''], ['a'], ['bb']], 'right')).toBe(['', 'a', 'bb'].join('\n'));
  });
});
