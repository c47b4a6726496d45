import { describe, expect, it } from 'vitest';
import { clusters, layout } from '../../console/cell-layout.ts';

describe('cell layout (what xterm with Unicode 11 puts in which cell)', () => {
  it('gives CJK and emoji two columns, joins zero-width code points to the cell before', () => {
    expect(clusters('a漢😀').map((c) => c.width)).toEqual([1, 2, 2]);
    expect(clusters('e\u0301\u2764\ufe0f')).toEqual([{ text: 'e\u0301', width: 1 }, { text: '\u2764\ufe0f', width: 1 }]);
    // A ZWJ sequence is not one cell in xterm: each emoji keeps its own two.
    expect(clusters('👨\u200d👩').map((c) => [c.text, c.width])).toEqual([['👨\u200d', 2], ['👩', 2]]);
    // A mark with nothing before it joins nothing and still takes a column.
    expect(clusters('\u0301a')).toEqual([{ text: '\u0301', width: 0 }, { text: 'a', width: 1 }]);
  });

  it('wraps a wide character that does not fit the last column, and holds the cursor at the margin', () => {
    // Ten columns; from column 7: 漢 fits 7-8, 字 would start at 9 and wraps.
    const { starts, end } = layout(clusters('漢字a'), 7, 10);
    expect(starts).toEqual([{ row: 0, col: 7 }, { row: 1, col: 0 }, { row: 1, col: 2 }]);
    expect(end).toEqual({ row: 1, col: 3 });
    // Exactly filling the row leaves the cursor at col 10 of row 0, not on row 1.
    expect(layout(clusters('abc'), 7, 10).end).toEqual({ row: 0, col: 10 });
    expect(layout(clusters('abcd'), 7, 10).starts[3]).toEqual({ row: 1, col: 0 });
  });
});
