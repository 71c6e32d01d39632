// Small-cell disclosure control for published tables of respondent counts: hide cells with too few
// respondents (primary suppression) and enough other cells that no hidden one can be worked out.
//
// Policy decisions (why, not just what):
// - Primary: a cell is hidden when 0 < n < minCellSize. n = 0 is shown as 0: an empty cell names
//   nobody, and hiding zeros would make every sparse table unreadable. (A row whose respondents
//   all fall in one cell can still reveal a group's answer; that is attribute disclosure, which
//   minimum cell sizes do not address and which the dashboards must handle by not cross-tabulating
//   sensitive items against small groups.)
// - A published total under the minimum is itself a small cell and is hidden the same way.
// - Complementary: a hidden figure is exposed if it is the only hidden one in a line whose
//   relation "members sum to total" is public (a row with its total, a column with its total, the
//   groups of a trend point with their total n, the row totals with the grand total). Then the
//   smallest non-zero visible member of that line is hidden too: non-zero because hiding a 0 adds
//   no uncertainty to the sum, smallest to lose as little information as possible. Totals are
//   only hidden as a last resort. Repeated until stable.
// - The line rule is necessary but not sufficient in two-way tables (hidden cells can be solved
//   for by combining several rows and columns), so every table is then audited exactly by linear
//   algebra, and any figure still determined gets a partner too.
// - All hidden figures get ONE public label. Telling "small" cells from "hidden to protect a small
//   cell" would tell a reader which hidden cells are at least the minimum, narrowing the others.
//
// Limit: this prevents exact recovery only. It does not guarantee a minimum width for the range a
// determined reader can bound a hidden cell to (what tools like τ-Argus do with linear programming).

export type SuppressionReason = "primary" | "complementary" | null;

export interface TableInput {
  /** Respondent count behind each cell, rows × columns. */
  cells: number[][];
  /** Whether each row's total is published. */
  rowTotals: boolean;
  /** Whether each column's total is published. */
  columnTotals: boolean;
  /** Whether the grand total is published; defaults to rowTotals || columnTotals (the safe guess). */
  grandTotal?: boolean;
  minCellSize: number;
}

export interface TableSuppression {
  suppressed: boolean[][];
  reasons: SuppressionReason[][];
  /** Always false for totals that are not published. */
  rowTotalSuppressed: boolean[];
  rowTotalReasons: SuppressionReason[];
  columnTotalSuppressed: boolean[];
  columnTotalReasons: SuppressionReason[];
  grandTotalSuppressed: boolean;
  grandTotalReason: SuppressionReason;
}

export interface ListSuppression {
  suppressed: boolean[];
  reasons: SuppressionReason[];
  /** Always false when the total is not published. */
  totalSuppressed: boolean;
  totalReason: SuppressionReason;
}

/** The one label every hidden figure gets in public output. */
export const SUPPRESSED_LABEL = "suppressed";

// ---------------------------------------------------------------------------------------------
// Validation

function requireMin(minCellSize: number): void {
  if (!Number.isInteger(minCellSize) || minCellSize < 1) {
    throw new RangeError(`minCellSize must be a whole number ≥ 1, got ${minCellSize}`);
  }
}

function requireCount(n: number, where: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${where} must be a whole number ≥ 0, got ${n}`);
}

// ---------------------------------------------------------------------------------------------
// Engine: figures ("items") and public linear relations between them ("lines").

interface Line {
  members: number[];
  total: number;
}

function isPrimary(n: number, minCellSize: number): boolean {
  return n > 0 && n < minCellSize;
}

/** Smallest non-zero visible item among `ids` (ties: lowest id), or null. */
function smallestVisible(ids: Iterable<number>, values: number[], hidden: SuppressionReason[]): number | null {
  let best: number | null = null;
  for (const id of ids) {
    if (hidden[id] !== null || values[id] === 0) continue;
    if (best === null || values[id] < values[best] || (values[id] === values[best] && id < best)) best = id;
  }
  return best;
}

function firstVisibleZero(ids: Iterable<number>, values: number[], hidden: SuppressionReason[]): number | null {
  for (const id of ids) if (hidden[id] === null && values[id] === 0) return id;
  return null;
}

/** Partner for a hidden item that one line exposes: members first, the line's total last. */
function partnerInLine(line: Line, values: number[], hidden: SuppressionReason[]): number | null {
  return (
    smallestVisible(line.members, values, hidden) ??
    smallestVisible([line.total], values, hidden) ??
    // Only zeros left visible: hiding one at least stops exact subtraction.
    firstVisibleZero([...line.members, line.total], values, hidden)
  );
}

/**
 * Items whose value a reader can compute exactly from the visible items and the public lines:
 * with the hidden items as unknowns, item j is determined iff e_j lies in the row space of the
 * constraint matrix, i.e. in reduced row echelon form j is a pivot whose row has no free entries.
 * Coefficients are 0/±1 and tables are small, so floating elimination with a tolerance is exact
 * enough.
 */
function determinedItems(itemCount: number, lines: Line[], hidden: SuppressionReason[]): number[] {
  const hiddenIds: number[] = [];
  const column = new Map<number, number>();
  for (let id = 0; id < itemCount; id++) {
    if (hidden[id] !== null) {
      column.set(id, hiddenIds.length);
      hiddenIds.push(id);
    }
  }
  const width = hiddenIds.length;
  if (width === 0) return [];
  const rows: number[][] = [];
  for (const line of lines) {
    const row = new Array<number>(width).fill(0);
    let any = false;
    for (const m of line.members) {
      const c = column.get(m);
      if (c !== undefined) {
        row[c] += 1;
        any = true;
      }
    }
    const t = column.get(line.total);
    if (t !== undefined) {
      row[t] -= 1;
      any = true;
    }
    if (any) rows.push(row);
  }
  const EPS = 1e-9;
  const pivots: number[] = []; // pivots[r] = column of row r's pivot
  let r = 0;
  for (let c = 0; c < width && r < rows.length; c++) {
    let best = r;
    for (let i = r + 1; i < rows.length; i++) if (Math.abs(rows[i][c]) > Math.abs(rows[best][c])) best = i;
    if (Math.abs(rows[best][c]) < EPS) continue;
    [rows[r], rows[best]] = [rows[best], rows[r]];
    const pivot = rows[r][c];
    for (let k = 0; k < width; k++) rows[r][k] /= pivot;
    for (let i = 0; i < rows.length; i++) {
      if (i === r || Math.abs(rows[i][c]) < EPS) continue;
      const f = rows[i][c];
      for (let k = 0; k < width; k++) rows[i][k] -= f * rows[r][k];
    }
    pivots.push(c);
    r++;
  }
  const pivotSet = new Set(pivots);
  const determined: number[] = [];
  pivots.forEach((c, i) => {
    let free = false;
    for (let k = 0; k < width && !free; k++) if (!pivotSet.has(k) && Math.abs(rows[i][k]) > EPS) free = true;
    if (!free) determined.push(hiddenIds[c]);
  });
  return determined.sort((a, b) => a - b);
}

function protect(values: number[], lines: Line[], minCellSize: number): SuppressionReason[] {
  const hidden: SuppressionReason[] = values.map((v) => (isPrimary(v, minCellSize) ? "primary" : null));
  const linesOf: Line[][] = values.map(() => []);
  for (const line of lines) for (const id of [...line.members, line.total]) linesOf[id].push(line);

  for (;;) {
    let changed = false;
    // Cheap local rule first: it settles almost every real table.
    for (const line of lines) {
      const items = [...line.members, line.total];
      if (items.filter((id) => hidden[id] !== null).length !== 1) continue;
      const partner = partnerInLine(line, values, hidden);
      if (partner !== null) {
        hidden[partner] = "complementary";
        changed = true;
      }
    }
    if (changed) continue;
    // Exact audit for what several lines together give away.
    const exposed = determinedItems(values.length, lines, hidden);
    if (exposed.length === 0) break;
    const j = exposed[0];
    const near = linesOf[j].flatMap((l) => [...l.members, l.total]);
    const everything = values.map((_, id) => id);
    const partner =
      smallestVisible(near, values, hidden) ??
      smallestVisible(everything, values, hidden) ??
      firstVisibleZero(everything, values, hidden);
    if (partner === null) break; // nothing left to hide (cannot happen with consistent totals)
    hidden[partner] = "complementary";
  }
  return hidden;
}

// ---------------------------------------------------------------------------------------------
// Tables

interface TableModel {
  values: number[];
  lines: Line[];
  rows: number;
  columns: number;
  rowTotalIds: (number | null)[];
  columnTotalIds: (number | null)[];
  grandId: number | null;
}

function buildTable(input: TableInput): TableModel {
  requireMin(input.minCellSize);
  const rows = input.cells.length;
  const columns = rows === 0 ? 0 : input.cells[0].length;
  input.cells.forEach((row, r) => {
    if (row.length !== columns) throw new RangeError(`row ${r} has ${row.length} cells, expected ${columns}`);
    row.forEach((n, c) => requireCount(n, `cells[${r}][${c}]`));
  });
  const values: number[] = input.cells.flat();
  const cellId = (r: number, c: number) => r * columns + c;
  const add = (v: number) => values.push(v) - 1;
  const lines: Line[] = [];

  const rowTotalIds: (number | null)[] = input.cells.map(() => null);
  const columnTotalIds: (number | null)[] = Array.from({ length: columns }, () => null);
  if (input.rowTotals) {
    for (let r = 0; r < rows; r++) {
      const members = Array.from({ length: columns }, (_, c) => cellId(r, c));
      const total = add(members.reduce((s, id) => s + values[id], 0));
      rowTotalIds[r] = total;
      lines.push({ members, total });
    }
  }
  if (input.columnTotals) {
    for (let c = 0; c < columns; c++) {
      const members = Array.from({ length: rows }, (_, r) => cellId(r, c));
      const total = add(members.reduce((s, id) => s + values[id], 0));
      columnTotalIds[c] = total;
      lines.push({ members, total });
    }
  }
  let grandId: number | null = null;
  if (input.grandTotal ?? (input.rowTotals || input.columnTotals)) {
    grandId = add(input.cells.flat().reduce((s, n) => s + n, 0));
    if (input.rowTotals) lines.push({ members: rowTotalIds as number[], total: grandId });
    if (input.columnTotals) lines.push({ members: columnTotalIds as number[], total: grandId });
    if (!input.rowTotals && !input.columnTotals) {
      lines.push({ members: Array.from({ length: rows * columns }, (_, i) => i), total: grandId });
    }
  }
  return { values, lines, rows, columns, rowTotalIds, columnTotalIds, grandId };
}

/**
 * Primary and complementary suppression for a two-way table of counts (e.g. communities × answer,
 * or gender × age band) with optionally published margins.
 */
export function suppressTable(input: TableInput): TableSuppression {
  const model = buildTable(input);
  const reasons = protect(model.values, model.lines, input.minCellSize);
  const reasonOf = (id: number | null): SuppressionReason => (id === null ? null : reasons[id]);
  const cellReasons = input.cells.map((row, r) => row.map((_, c) => reasons[r * model.columns + c]));
  const rowTotalReasons = model.rowTotalIds.map(reasonOf);
  const columnTotalReasons = model.columnTotalIds.map(reasonOf);
  const grandTotalReason = reasonOf(model.grandId);
  return {
    suppressed: cellReasons.map((row) => row.map((x) => x !== null)),
    reasons: cellReasons,
    rowTotalSuppressed: rowTotalReasons.map((x) => x !== null),
    rowTotalReasons,
    columnTotalSuppressed: columnTotalReasons.map((x) => x !== null),
    columnTotalReasons,
    grandTotalSuppressed: grandTotalReason !== null,
    grandTotalReason,
  };
}

export type ExposedFigure =
  | { kind: "cell"; row: number; column: number }
  | { kind: "rowTotal"; row: number }
  | { kind: "columnTotal"; column: number }
  | { kind: "grandTotal" };

/**
 * Independent check of a suppression pattern: every hidden figure a reader could compute exactly
 * from what is shown. Empty means no exact disclosure. Useful for patterns edited by hand and as
 * a regression guard on suppressTable itself.
 */
export function auditTable(input: TableInput, pattern: TableSuppression): ExposedFigure[] {
  const model = buildTable(input);
  const hidden: SuppressionReason[] = model.values.map(() => null);
  const mark = (id: number | null, isHidden: boolean) => {
    if (id !== null && isHidden) hidden[id] = "primary"; // the reason is irrelevant to the audit
  };
  pattern.suppressed.forEach((row, r) => row.forEach((h, c) => mark(r * model.columns + c, h)));
  model.rowTotalIds.forEach((id, r) => mark(id, pattern.rowTotalSuppressed[r] ?? false));
  model.columnTotalIds.forEach((id, c) => mark(id, pattern.columnTotalSuppressed[c] ?? false));
  mark(model.grandId, pattern.grandTotalSuppressed);
  return determinedItems(model.values.length, model.lines, hidden).map((id): ExposedFigure => {
    if (id < model.rows * model.columns) return { kind: "cell", row: Math.floor(id / model.columns), column: id % model.columns };
    const r = model.rowTotalIds.indexOf(id);
    if (r >= 0) return { kind: "rowTotal", row: r };
    const c = model.columnTotalIds.indexOf(id);
    if (c >= 0) return { kind: "columnTotal", column: c };
    return { kind: "grandTotal" };
  });
}

// ---------------------------------------------------------------------------------------------
// Lists

/**
 * One-dimensional version: the groups of one period on a trend chart (e.g. women / men / other),
 * optionally with their total n shown. Without a published total only primary suppression applies.
 */
export function suppressList(ns: number[], minCellSize: number, totalPublished: boolean): ListSuppression {
  requireMin(minCellSize);
  ns.forEach((n, i) => requireCount(n, `ns[${i}]`));
  const values = [...ns];
  const lines: Line[] = [];
  if (totalPublished) {
    const total = values.push(ns.reduce((s, n) => s + n, 0)) - 1;
    lines.push({ members: ns.map((_, i) => i), total });
  }
  const reasons = protect(values, lines, minCellSize);
  const totalReason = totalPublished ? reasons[ns.length] : null;
  const memberReasons = reasons.slice(0, ns.length);
  return {
    suppressed: memberReasons.map((x) => x !== null),
    reasons: memberReasons,
    totalSuppressed: totalReason !== null,
    totalReason,
  };
}

// ---------------------------------------------------------------------------------------------
// Public wording

/** The threshold in words, for method notes and footnotes: "fewer than 10". */
export function describeSuppressed(minCellSize: number): string {
  requireMin(minCellSize);
  return `fewer than ${minCellSize}`;
}

/** Footnote explaining the single label every hidden figure carries. */
export function suppressionNote(minCellSize: number): string {
  return `“${SUPPRESSED_LABEL}”: ${describeSuppressed(minCellSize)} respondents, or a figure that would let such a group be worked out.`;
}

/**
 * What to print for one count. Defensive: a small cell is hidden even if the caller forgot to run
 * suppression, because a leaked count cannot be recalled. Hidden figures carry the uniform label,
 * not "fewer than N", which would be false for complementary cells and would single out the rest.
 */
export function publicCount(n: number, suppressed: boolean, minCellSize: number): { n: number | null; label: string } {
  requireCount(n, "n");
  requireMin(minCellSize);
  if (suppressed || isPrimary(n, minCellSize)) return { n: null, label: SUPPRESSED_LABEL };
  return { n, label: String(n) };
}
