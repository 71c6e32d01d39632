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

/** A public relation: the members' counts add up to the total's. */
export interface Line {
  members: number[];
  total: number;
}

/** A set of figures to publish together, with every public relation between them. */
export interface ProtectionProblem {
  /** Respondents behind each item: what primary suppression and the margin rule look at. */
  values: number[];
  lines: Line[];
  minCellSize: number;
  /** Items that must be hidden for being small; default 0 < n < minCellSize. */
  primary?: boolean[];
  /** Items never published (e.g. a total over all time that links two ways of cutting periods). */
  unpublished?: boolean[];
  /** Further figures of each item that a small hidden group must not give away (see protectItems). */
  guards?: Guard[];
  /**
   * Additive parts every item is made of (e.g. its count of each answer code), with `respondents`
   * saying how `values` is made of them. A reader can bound each part by itself, which bounds a
   * figure more tightly than bounding the figure: the range audit works part by part when given them.
   */
  parts?: number[][];
  respondents?: [part: number, weight: number][];
  /**
   * A last, stronger range audit (linear programming, ./range-audit), run when bound propagation
   * finds nothing: every small hidden item with a figure narrower than its need (once each).
   */
  audit?: (figures: Guard[], hidden: ItemReason[], watched: (id: number) => boolean) => Narrow[];
}

/** A small hidden item whose figure a reader can bound too narrowly, and what would widen it. */
export interface Narrow {
  item: number;
  figure: number[];
  need: number;
}

/**
 * A further additive figure of every item (e.g. how many of a group answered "yes", or did not):
 * in a line whose total is shown, where a small hidden item it `applies` to sits, the hidden members
 * together must hold at least `need` of it, so the small item's share of it cannot be pinned down
 * (a hidden group whose partners all answered "no" would otherwise be known to have answered "no").
 */
export interface Guard {
  values: number[];
  need: number;
  applies: boolean[];
  /** How the figure is made of the problem's parts, when it has them. */
  terms?: [part: number, weight: number][];
}

export type ItemReason = SuppressionReason | "unpublished";

function isPrimary(n: number, minCellSize: number): boolean {
  return n > 0 && n < minCellSize;
}

/**
 * One suppression pattern for a whole family of published figures. A hidden small group must
 * keep, from everything shown, (1) no exact value, (2) a range at least the minimum wide in
 * every line whose total is shown: the hidden members of such a line add up to at least the
 * minimum, so the group could be empty or hold all of them (and their answers with them), and
 * (3) in such a line, the hidden members hold at least each guard's need of its figure.
 * Partners are the smallest visible members that meet the need; a line's total only as a last resort.
 */
export function protectItems(problem: ProtectionProblem): ItemReason[] {
  const { values, lines, minCellSize: m } = problem;
  const count = values.length;
  const primary = problem.primary ?? values.map((v) => isPrimary(v, m));
  const hidden: ItemReason[] = values.map((_, i) => (problem.unpublished?.[i] ? "unpublished" : primary[i] ? "primary" : null));
  const linesOf: number[][] = values.map(() => []);
  lines.forEach((line, li) => {
    for (const id of line.members) linesOf[id].push(li);
    linesOf[line.total].push(li);
  });
  const watched = (id: number) => hidden[id] === "primary" || hidden[id] === "complementary" || (hidden[id] === "unpublished" && primary[id]);
  // The figures the range audits check: respondents (against the minimum) and every guard.
  const figures: Guard[] = [
    { values, need: m, applies: values.map((v, i) => primary[i] && v > 0 && v < m), terms: problem.parts && problem.respondents },
    ...(problem.guards ?? []),
  ];

  // Partner choice: the smallest visible non-zero member satisfying `need` (any non-zero one if none
  // does), then the total, then a visible zero (hiding it at least stops exact subtraction).
  const pick = (line: Line, need: (id: number) => boolean): number | null => {
    let best: number | null = null;
    let fallback: number | null = null;
    for (const id of line.members) {
      if (hidden[id] !== null || values[id] === 0) continue;
      if (need(id)) {
        if (best === null || values[id] < values[best]) best = id;
      } else if (fallback === null || values[id] > values[fallback]) fallback = id;
    }
    if (best !== null) return best;
    if (hidden[line.total] === null && values[line.total] > 0 && need(line.total)) return line.total;
    if (fallback !== null) return fallback;
    if (hidden[line.total] === null && values[line.total] > 0) return line.total;
    for (const id of [...line.members, line.total]) if (hidden[id] === null) return id;
    return null;
  };

  const queue: number[] = lines.map((_, i) => i);
  const queued = new Uint8Array(lines.length).fill(1);
  const hide = (id: number) => {
    hidden[id] = "complementary";
    for (const li of linesOf[id]) if (!queued[li]) {
      queued[li] = 1;
      queue.push(li);
    }
  };

  /** What one line needs, or null when it is settled: a partner to hide. */
  const needOf = (line: Line): number | null => {
    const items = [...line.members, line.total];
    const hid = items.filter((id) => hidden[id] !== null);
    if (hid.length === 0) return null;
    // (1) a lone hidden figure in a line is its total minus the rest.
    if (hid.length === 1) return watched(hid[0]) ? pick(line, () => true) : null;
    if (hidden[line.total] !== null) return null; // the total is unknown too: the audit below checks
    const members = line.members.filter((id) => hidden[id] !== null);
    const small = members.filter((id) => primary[id] && hidden[id] !== null);
    if (small.length === 0) return null;
    // (2) the hidden members together must be able to hold a whole group of the minimum size.
    const mass = members.reduce((s, id) => s + values[id], 0);
    if (mass < m) return pick(line, (id) => values[id] >= m - mass);
    // (3) and so must each guarded figure: a group's answers, not only its size.
    for (const g of problem.guards ?? []) {
      if (!small.some((id) => g.applies[id])) continue;
      const held = members.reduce((s, id) => s + g.values[id], 0);
      if (held < g.need) return pick(line, (id) => g.values[id] >= g.need - held);
    }
    return null;
  };

  for (;;) {
    for (let head = 0; head < queue.length; head++) {
      const li = queue[head];
      queued[li] = 0;
      const partner = needOf(lines[li]);
      if (partner !== null) {
        hide(partner);
        if (!queued[li]) {
          queued[li] = 1;
          queue.push(li);
        }
      }
    }
    queue.length = 0;
    // Exact audit for what several lines together give away; then the range audits.
    const exposed = determinedItems(count, lines, hidden).filter(watched);
    let fixes: { item: number; enough: (id: number) => boolean }[];
    if (exposed.length) fixes = [{ item: exposed[0], enough: () => true }];
    else {
      const narrow = narrowItem(problem, figures, hidden, watched);
      // The LP audit is dear: it reports every narrow item at once, and each gets a partner.
      const found = narrow ? [narrow] : (problem.audit?.(figures, hidden, watched) ?? []);
      fixes = found.map((f) => ({ item: f.item, enough: (id: number) => f.figure[id] >= f.need }));
    }
    if (fixes.length === 0) break;
    let hid = false;
    for (const { item, enough } of fixes) {
      let partner: number | null = null;
      for (const li of linesOf[item]) {
        const p = pick(lines[li], enough);
        if (p !== null && (partner === null || values[p] < values[partner])) partner = p;
      }
      if (partner === null) for (let id = 0; id < count && partner === null; id++) if (hidden[id] === null) partner = id;
      if (partner === null) continue; // nothing left to hide
      hide(partner);
      hid = true;
    }
    if (!hid) break;
  }
  return hidden;
}

/**
 * The first small hidden item whose figure (its respondents, or a guarded figure) a reader can bound
 * to a range narrower than its need, by propagating bounds through the lines: each hidden figure
 * lies between 0 and what its lines leave for it once the other hidden figures take their least or
 * most. Null when none. (Bound propagation is weaker than linear programming: see ./range-audit.)
 */
function narrowItem(problem: ProtectionProblem, figures: Guard[], hidden: ItemReason[], watched: (id: number) => boolean): Narrow | null {
  const { values, lines } = problem;
  const hiddenLines = lines.filter((line) => hidden[line.total] !== null || line.members.some((id) => hidden[id] !== null));
  const bounded = new Map<number[], { low: Float64Array; high: Float64Array }>();
  const boundsOf = (vector: number[]) => {
    let b = bounded.get(vector);
    if (!b) bounded.set(vector, (b = propagate(vector, hiddenLines, hidden)));
    return b;
  };
  for (const g of figures) {
    const targets: number[] = [];
    for (let id = 0; id < values.length; id++) if (g.applies[id] && watched(id)) targets.push(id);
    if (!targets.length) continue;
    const ranges: { vector: number[]; weight: number }[] = g.terms ? g.terms.map(([p, w]) => ({ vector: problem.parts![p], weight: w })) : [{ vector: g.values, weight: 1 }];
    for (const id of targets) {
      let width = 0;
      for (const r of ranges) {
        const { low, high } = boundsOf(r.vector);
        width += Math.abs(r.weight) * (high[id] - low[id]);
      }
      if (width < g.need - 1e-9) return { item: id, figure: g.values, need: g.need };
    }
  }
  return null;
}

/** Bounds of every figure from the lines (members − total = 0), each hidden one at least 0. */
function propagate(vector: number[], lines: Line[], hidden: ItemReason[]): { low: Float64Array; high: Float64Array } {
  const low = new Float64Array(vector.length);
  const high = new Float64Array(vector.length).fill(Infinity);
  for (let id = 0; id < vector.length; id++) if (hidden[id] === null) low[id] = high[id] = vector[id];
  for (let pass = 0, changed = true; changed && pass < 1000; pass++) {
    changed = false;
    const tighten = (id: number, lo: number, hi: number) => {
      if (hidden[id] === null) return;
      if (lo > low[id] + 1e-9) {
        low[id] = lo;
        changed = true;
      }
      if (hi < high[id] - 1e-9) {
        high[id] = hi;
        changed = true;
      }
    };
    for (const line of lines) {
      let lowSum = 0;
      let highSum = 0; // of the finite highs
      let unbounded = 0;
      for (const id of line.members) {
        lowSum += low[id];
        if (Number.isFinite(high[id])) highSum += high[id];
        else unbounded += 1;
      }
      const t = line.total;
      tighten(t, lowSum, unbounded ? Infinity : highSum);
      // Each hidden member is what the total leaves once the others take their most or least.
      for (const id of line.members) {
        const own = Number.isFinite(high[id]);
        const othersHigh = unbounded - (own ? 0 : 1) > 0 ? Infinity : highSum - (own ? high[id] : 0);
        tighten(id, low[t] - othersHigh, high[t] - (lowSum - low[id]));
      }
    }
  }
  return { low, high };
}

/**
 * Items whose value a reader can compute exactly from the visible items and the public lines:
 * with the hidden items as unknowns, item j is determined iff e_j lies in the row space of the
 * constraint matrix, i.e. in reduced row echelon form j is a pivot whose row has no free entries.
 * Hidden items that share no line are independent, so each connected group is solved alone.
 * Coefficients are 0/±1, so floating elimination with a tolerance is exact enough.
 */
function determinedItems(itemCount: number, lines: Line[], hidden: ItemReason[]): number[] {
  // Connected groups of hidden items (union–find over the lines they share).
  const parent = new Int32Array(itemCount).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const hiddenOf = (line: Line) => [...line.members, line.total].filter((id) => hidden[id] !== null);
  const lineHidden = lines.map(hiddenOf);
  for (const h of lineHidden) for (let i = 1; i < h.length; i++) parent[find(h[i])] = find(h[0]);
  const groups = new Map<number, { ids: number[]; rows: number[] }>();
  for (let id = 0; id < itemCount; id++) {
    if (hidden[id] === null) continue;
    const root = find(id);
    if (!groups.has(root)) groups.set(root, { ids: [], rows: [] });
    groups.get(root)!.ids.push(id);
  }
  lineHidden.forEach((h, li) => {
    if (h.length) groups.get(find(h[0]))!.rows.push(li);
  });
  const determined: number[] = [];
  for (const g of groups.values()) determined.push(...determinedInGroup(g.ids, g.rows.map((li) => lines[li]), hidden));
  return determined.sort((a, b) => a - b);
}

function determinedInGroup(hiddenIds: number[], lines: Line[], hidden: ItemReason[]): number[] {
  const column = new Map<number, number>();
  hiddenIds.forEach((id, c) => column.set(id, c));
  const width = hiddenIds.length;
  const rows: number[][] = [];
  for (const line of lines) {
    const row = new Array<number>(width).fill(0);
    for (const m of line.members) if (hidden[m] !== null) row[column.get(m)!] += 1;
    if (hidden[line.total] !== null) row[column.get(line.total)!] -= 1;
    rows.push(row);
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
    for (let k = c; k < width; k++) rows[r][k] /= pivot;
    for (let i = 0; i < rows.length; i++) {
      if (i === r || Math.abs(rows[i][c]) < EPS) continue;
      const f = rows[i][c];
      for (let k = c; k < width; k++) rows[i][k] -= f * rows[r][k];
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
  return determined;
}

function protect(values: number[], lines: Line[], minCellSize: number): SuppressionReason[] {
  return protectItems({ values, lines, minCellSize }) as SuppressionReason[];
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
