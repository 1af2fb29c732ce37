/**
 * The CLI's side-by-side tables (run's summary, plan's comparison): a label column, then a column per mode (or mode
 * and cluster). Columns that would pass TABLE_WIDTH characters continue in further blocks below, each repeating
 * the labels and holding about as many columns as the others, so a comparison of all eleven modes stays readable
 * in a terminal. The width is fixed, not the terminal's, so the same command prints the same text everywhere (the
 * docs' examples are re-run by a test).
 */

/** 132 columns: a wide terminal; five modes side by side fit in one block. */
export const TABLE_WIDTH = 132;

/**
 * `rows[0]` is the header row (its first cell the label column's head, usually empty), the others a label and a
 * cell per column. Cells are padded to their column's widest, values aligned left or right; lines end without
 * trailing spaces; blocks are separated by an empty line.
 */
export function sideBySide(rows: readonly (readonly string[])[], align: 'left' | 'right', width = TABLE_WIDTH): string {
  const labelWidth = Math.max(...rows.map((r) => r[0]!.length));
  const cols = rows[0]!.length - 1;
  const widths: number[] = [];
  for (let j = 1; j <= cols; j++) widths.push(Math.max(...rows.map((r) => (r[j] ?? '').length)));
  const fits = (from: number, to: number): boolean => {
    let used = labelWidth;
    for (let j = from; j < to; j++) used += 2 + widths[j]!;
    return used <= width || to - from === 1;
  };
  // Greedy blocks (as many columns as fit, at least one), then the same number of blocks of even size if they fit.
  const greedy: number[] = [0];
  for (let from = 0; from < cols;) {
    let to = from + 1;
    while (to < cols && fits(from, to + 1)) to++;
    greedy.push(to);
    from = to;
  }
  const k = Math.max(1, greedy.length - 1);
  const even = Array.from({ length: k + 1 }, (_, i) => Math.ceil((i * cols) / k));
  const cuts = even.every((to, i) => i === 0 || fits(even[i - 1]!, to)) ? even : greedy;
  const blocks: string[] = [];
  for (let b = 1; b < cuts.length || blocks.length === 0; b++) {
    const from = cuts[b - 1] ?? 0;
    const to = cuts[b] ?? cols;
    const lines = rows.map((r) => {
      const cells: string[] = [];
      for (let j = from; j < to; j++) {
        const c = r[j + 1] ?? '';
        cells.push(align === 'right' ? c.padStart(widths[j]!) : c.padEnd(widths[j]!));
      }
      return `${r[0]!.padEnd(labelWidth)}  ${cells.join('  ')}`.trimEnd();
    });
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n');
}
