// Checks small-cell suppression: small counts are hidden, and no hidden count can be recovered by
// subtracting visible figures from a published total, in one line or across several.
import { describe, expect, it } from "vitest";
import {
  SUPPRESSED_LABEL,
  auditTable,
  describeSuppressed,
  publicCount,
  suppressList,
  suppressTable,
  suppressionNote,
  protectItems,
  type TableInput,
} from "../../app/stats/disclosure";
import { loadSolver, lpNarrowItems } from "../../app/stats/range-audit";

const P = "primary";
const C = "complementary";
const _ = null;

/** suppressTable plus the independent audit, which must always come back clean. */
function protectedTable(input: TableInput) {
  const result = suppressTable(input);
  expect(auditTable(input, result)).toEqual([]);
  return result;
}

describe("primary suppression", () => {
  it.each([
    // [counts, min, expected reasons] — no totals published, so nothing can be derived
    [[3, 40, 25], 5, [P, _, _]],
    [[4, 5, 6], 5, [P, _, _]],
    [[0, 1, 2, 3], 3, [_, P, P, _]],
    [[9, 10, 11], 10, [P, _, _]],
    [[0, 0, 7], 10, [_, _, P]],
    [[1, 2, 3], 1, [_, _, _]],
  ])("%j with minimum %s → %j (zeros shown, 0 < n < min hidden)", (ns, min, reasons) => {
    const r = suppressList(ns, min, false);
    expect(r.reasons).toEqual(reasons);
    expect(r.suppressed).toEqual(reasons.map((x) => x !== null));
    expect(r.totalSuppressed).toBe(false);
  });

  it("a table without published totals only gets primary suppression", () => {
    const r = protectedTable({ cells: [[3, 20], [40, 2]], rowTotals: false, columnTotals: false, grandTotal: false, minCellSize: 5 });
    expect(r.reasons).toEqual([[P, _], [_, P]]);
  });
});

describe("complementary suppression in one line", () => {
  it("a list with its total: the small group gets the smallest non-zero partner", () => {
    // Without the partner, 3 = 68 − 40 − 25.
    const r = suppressList([3, 40, 25], 5, true);
    expect(r.reasons).toEqual([P, _, C]);
    expect(r.totalSuppressed).toBe(false);
  });

  it("zeros are never chosen as the partner: hiding a 0 adds no doubt to the sum", () => {
    expect(suppressList([3, 0, 12, 8], 5, true).reasons).toEqual([P, _, _, C]);
  });

  it("two small groups already protect each other", () => {
    expect(suppressList([2, 3, 40], 5, true).reasons).toEqual([P, P, _]);
  });

  it("a total under the minimum is hidden as well", () => {
    const r = suppressList([2, 1, 0], 5, true);
    expect(r.reasons).toEqual([P, P, _]);
    expect(r.totalSuppressed).toBe(true);
    expect(r.totalReason).toBe(P);
  });

  it("one small group alone: the group and its total are both hidden", () => {
    const r = suppressList([4], 5, true);
    expect(r.reasons).toEqual([P]);
    expect(r.totalReason).toBe(P);
  });

  it("nothing small, nothing hidden", () => {
    expect(suppressList([0, 12, 30], 5, true)).toEqual({
      suppressed: [false, false, false],
      reasons: [_, _, _],
      totalSuppressed: false,
      totalReason: null,
    });
  });

  it("a row with its total (row totals only)", () => {
    const r = protectedTable({ cells: [[3, 20, 30], [40, 50, 25]], rowTotals: true, columnTotals: false, minCellSize: 5 });
    expect(r.reasons).toEqual([[P, C, _], [_, _, _]]);
    expect(r.rowTotalSuppressed).toEqual([false, false]);
    expect(r.columnTotalSuppressed).toEqual([false, false, false]);
  });

  it("a column with its total (column totals only)", () => {
    const r = protectedTable({ cells: [[3, 20, 30], [40, 50, 25]], rowTotals: false, columnTotals: true, minCellSize: 5 });
    expect(r.reasons).toEqual([[P, _, _], [C, _, _]]);
  });

  it("a grand total alone ties every cell together", () => {
    const r = protectedTable({ cells: [[3, 20], [40, 50]], rowTotals: false, columnTotals: false, grandTotal: true, minCellSize: 5 });
    expect(r.reasons).toEqual([[P, C], [_, _]]);
  });
});

describe("complementary suppression in two-way tables", () => {
  it("cascades: the row partner exposes its column, whose partner closes the pattern", () => {
    // Row 0: 3 needs a partner → 20. Column 0: 3 needs one → 40. Column 1: 20 is now alone → 50.
    // Row 1 then has 40 and 50 hidden; every row and column has 0 or 2 hidden cells.
    const r = protectedTable({ cells: [[3, 20, 30], [40, 50, 25]], rowTotals: true, columnTotals: true, minCellSize: 5 });
    expect(r.reasons).toEqual([
      [P, C, _],
      [C, C, _],
    ]);
    expect(r.rowTotalSuppressed).toEqual([false, false]);
    expect(r.columnTotalSuppressed).toEqual([false, false, false]);
    expect(r.grandTotalSuppressed).toBe(false);
  });

  it("a longer cascade in a 3 × 3 table still ends with no derivable cell", () => {
    const r = protectedTable({ cells: [[2, 10, 12], [8, 20, 15], [9, 11, 30]], rowTotals: true, columnTotals: true, minCellSize: 5 });
    expect(r.reasons[0][0]).toBe(P);
    for (const row of r.suppressed) expect(row.filter(Boolean).length).not.toBe(1);
    for (let c = 0; c < 3; c++) expect(r.suppressed.filter((row) => row[c]).length).not.toBe(1);
  });

  it("a small row total is hidden, and the grand total cannot give it back", () => {
    // Row 0 totals 3: its cells and its total are primary. With the grand total 73 shown, the
    // other row total 70 would give 73 − 70 = 3, so it is hidden too; columns get partners.
    const r = protectedTable({ cells: [[2, 1], [30, 40]], rowTotals: true, columnTotals: true, minCellSize: 5 });
    expect(r.reasons).toEqual([
      [P, P],
      [C, C],
    ]);
    expect(r.rowTotalReasons).toEqual([P, C]);
    expect(r.columnTotalSuppressed).toEqual([false, false]);
    expect(r.grandTotalSuppressed).toBe(false);
  });

  it("zero cells are shown and do not trigger anything", () => {
    const r = protectedTable({ cells: [[0, 12], [7, 9]], rowTotals: true, columnTotals: true, minCellSize: 5 });
    expect(r.reasons).toEqual([[_, _], [_, _]]);
  });
});

describe("exact audit across several lines", () => {
  // Two hidden 2 × 2 blocks joined by one hidden cell (0, 2): every row and column has at least
  // two hidden cells, yet (rows 0–1 totals) − (columns 0–1 totals) = exactly cell (0, 2).
  const cells = [
    [1, 1, 1, 20],
    [1, 1, 20, 20],
    [20, 20, 1, 1],
    [20, 20, 1, 1],
  ];
  const input: TableInput = { cells, rowTotals: true, columnTotals: true, minCellSize: 5 };

  it("the line-by-line rule alone misses the bridge cell; the audit finds it", () => {
    const onlyPrimary = cells.map((row) => row.map((n) => n > 0 && n < 5));
    const pattern = {
      ...suppressTable(input),
      suppressed: onlyPrimary,
      rowTotalSuppressed: [false, false, false, false],
      columnTotalSuppressed: [false, false, false, false],
      grandTotalSuppressed: false,
    };
    expect(auditTable(input, pattern)).toEqual([{ kind: "cell", row: 0, column: 2 }]);
  });

  it("suppressTable hides partners until no small cell is exact and every line's hidden cells hold at least the minimum", () => {
    // Two small cells alone in a line (1 + 1 in rows 2 and 3) would each be known to be 0–2:
    // the margin rule adds a 20 to every such line, which also puts the bridge on a cycle.
    const r = protectedTable(input);
    expect(r.reasons).toEqual([
      [P, P, P, C],
      [P, P, C, _],
      [C, C, P, P],
      [C, _, P, P],
    ]);
  });

  it("randomised tables never leave a derivable figure (fixed seed)", () => {
    let seed = 20240611;
    const random = () => {
      // mulberry32: a tiny deterministic generator so failures reproduce.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (let trial = 0; trial < 200; trial++) {
      const rows = 1 + Math.floor(random() * 5);
      const columns = 1 + Math.floor(random() * 5);
      const table = Array.from({ length: rows }, () =>
        Array.from({ length: columns }, () => (random() < 0.2 ? 0 : Math.floor(random() * (random() < 0.5 ? 8 : 60)))),
      );
      const input: TableInput = { cells: table, rowTotals: random() < 0.7, columnTotals: random() < 0.7, minCellSize: 1 + Math.floor(random() * 10) };
      const r = protectedTable(input);
      table.forEach((row, i) =>
        row.forEach((n, j) => {
          if (n > 0 && n < input.minCellSize) expect(r.reasons[i][j]).toBe(P);
        }),
      );
    }
  });
});

describe("a small group's answers, not only its size", () => {
  // Women 40, men 38, "other" 2 in one line with its total 80 shown; a share indicator's "yes" counts.
  const values = [40, 38, 2, 80];
  const line = { members: [0, 1, 2], total: 3 };
  it("a partner that answered like the small group would pin its answers: another partner is hidden", () => {
    // The men's partner cell is the smallest that holds the minimum, but all 38 men said "no", like both
    // "other" respondents: hiding it alone tells a reader that nobody in "other" said "yes".
    const yes = [25, 0, 0, 25];
    const no = values.map((v, i) => v - yes[i]);
    const applies = [false, false, true, false];
    const plain = protectItems({ values, lines: [line], minCellSize: 5 });
    expect(plain).toEqual([null, C, P, null]);
    const guarded = protectItems({ values, lines: [line], minCellSize: 5, guards: [{ values: yes, need: 1, applies }, { values: no, need: 1, applies }] });
    expect(guarded).toEqual([C, C, P, null]);
  });

  it("the LP audit measures a small cell's range from every line at once", async () => {
    // A 2 × 2 table [a b; c d] with its four margins shown; a is small (1).
    const solver = await loadSolver();
    const cells = { a: 1, b: 9, c: 6, d: 2 };
    const values = [cells.a, cells.b, cells.c, cells.d, cells.a + cells.b, cells.c + cells.d, cells.a + cells.c, cells.b + cells.d];
    const lines = [
      { members: [0, 1], total: 4 },
      { members: [2, 3], total: 5 },
      { members: [0, 2], total: 6 },
      { members: [1, 3], total: 7 },
    ];
    const hidden = [P, C, C, C, null, null, null, null] as const;
    const problem = { values, lines, minCellSize: 5 };
    const figures = [{ values, need: 5, applies: [true, false, false, false, false, false, false, false] }];
    // All four hidden: a can slide from 0 to 7 along the rectangle (a + t, b − t, c − t, d + t), wide enough.
    expect(lpNarrowItems(solver, problem, figures, [...hidden], (id) => hidden[id] !== null)).toEqual([]);
    // With d shown, b = 11 − d and a = 10 − b: a is exactly 1.
    const shownD = [P, C, C, null, null, null, null, null] as const;
    const found = lpNarrowItems(solver, problem, figures, [...shownD], (id) => shownD[id] !== null);
    expect(found.map((f) => f.item)).toEqual([0]);
  });
});

describe("public wording", () => {
  it("describes the threshold", () => {
    expect(describeSuppressed(10)).toBe("fewer than 10");
    expect(suppressionNote(5)).toContain("fewer than 5");
  });

  it.each([
    [12, false, 5, { n: 12, label: "12" }],
    [0, false, 5, { n: 0, label: "0" }],
    [3, true, 5, { n: null, label: SUPPRESSED_LABEL }],
    // Complementary cells are at least the minimum: they must not be labelled "fewer than 5".
    [40, true, 5, { n: null, label: SUPPRESSED_LABEL }],
    // Defensive: a small count is never printed, even if the caller forgot to suppress it.
    [3, false, 5, { n: null, label: SUPPRESSED_LABEL }],
  ])("publicCount(%s, %s, %s) → %j", (n, suppressed, min, expected) => {
    expect(publicCount(n, suppressed, min)).toEqual(expected);
  });

  it("rejects meaningless input", () => {
    expect(() => describeSuppressed(0)).toThrow(RangeError);
    expect(() => suppressList([1, -2], 5, true)).toThrow(RangeError);
    expect(() => suppressList([1.5], 5, true)).toThrow(RangeError);
    expect(() => suppressTable({ cells: [[1, 2], [3]], rowTotals: true, columnTotals: true, minCellSize: 5 })).toThrow(RangeError);
    expect(() => publicCount(3, false, 2.5)).toThrow(RangeError);
  });
});
