// An automated attacker for the dashboards' disclosure control. It takes every figure the app
// published about one question (collected by the caller from the API and the page data), writes
// down every public relation between them (communities add up to all communities, a dimension's
// values to everyone, rounds and months to the same total over time, months to their quarter, and
// inside a box: answer codes to respondents, counted codes to an indicator's n, "yes" codes to its
// numerator), and asks a linear-programming solver (HiGHS) how far each hidden figure can move.
//
// Protection margin checked for every hidden box whose group is small (0 < respondents or n < m):
// - count: its respondents and each indicator's n keep a feasible range at least m wide;
// - answers: each indicator's "yes" count and "no" count keep a range at least one respondent wide
//   (a mean's score sum at least one respondent's swing), so its share or mean cannot be worked out.
import { appendFileSync } from "node:fs";
import highsLoader from "highs";
import { quarterOfMonth } from "../../app/stats/disclosure-family";

export const ALL = "*";
export type PeriodType = "round" | "month" | "quarter";

export interface AttackIndicator {
  id: string;
  kind: "share" | "mean";
  /** Codes counted in n (the rest are left out of the denominator). */
  counted: string[];
  /** Share: codes counted as "yes". Mean: each counted code's score. */
  yes: string[];
  scores: Record<string, number>;
}

export interface AttackStructure {
  periods: Record<PeriodType, string[]>;
  /** Communities with "" (not answered). */
  communities: string[];
  /** Group dimensions with every value, "" included. */
  dimensions: { id: string; values: string[] }[];
  /** Answer codes of the question (empty when no distribution is published). */
  codes: string[];
  indicators: AttackIndicator[];
  minCellSize: number;
}

export const boxKey = (type: string, period: string, community: string, dimension = "", value = "") => `${type}|${period}|${community}|${dimension}|${value}`;

/** Quantities: "A" respondents, "N:ind" and "Y:ind" an indicator's n and numerator, "C:code" answer counts. */
export type Figures = Record<string, number>;

export class Observations {
  /** Box → figures published for it (merged over views), or null where a view hid it. */
  readonly seen = new Map<string, { hidden: boolean; figures: Figures }>();
  readonly conflicts: string[] = [];

  see(box: string, hidden: boolean, figures: Figures = {}) {
    const had = this.seen.get(box);
    if (!had) {
      this.seen.set(box, { hidden, figures: { ...figures } });
      return;
    }
    if (had.hidden !== hidden) this.conflicts.push(`${box} is hidden in one view and shown in another`);
    for (const [q, v] of Object.entries(figures)) {
      if (q in had.figures && Math.abs(had.figures[q] - v) > 1e-6) this.conflicts.push(`${box} ${q}: ${had.figures[q]} in one view, ${v} in another`);
      had.figures[q] = v;
    }
    if (!hidden) had.hidden = false;
  }
}

export interface Violation {
  box: string;
  figure: string;
  truth: number;
  low: number;
  high: number;
  need: number;
}

type Term = [number, number]; // [variable, coefficient]
interface Row {
  terms: Term[];
  rhs: number;
}

/**
 * Feasible ranges of hidden figures. `truth` gives, per hidden box, its real figures (to pick which
 * boxes are small and to report); the attack itself uses only what was published.
 */
export async function attack(structure: AttackStructure, seen: Observations, truth: (box: string) => Figures, opts: { maxTargets?: number } = {}): Promise<{ violations: Violation[]; checked: number; hidden: number }> {
  const highs = await highsLoader();
  const log = (what: string) => process.env.ATTACK_VERBOSE && appendFileSync(process.env.ATTACK_VERBOSE, `attack: ${what} at ${new Date().toISOString()}\n`);
  log("start");
  const m = structure.minCellSize;
  const quantities = ["A", ...structure.indicators.flatMap((i) => [`N:${i.id}`, `Y:${i.id}`]), ...structure.codes.map((c) => `C:${c}`)];
  const slots: [string, string][] = [["", ""], ...structure.dimensions.flatMap((d) => d.values.map((v) => [d.id, v] as [string, string]))];
  const places = [...structure.communities, ALL];
  const boxes: string[] = [];
  for (const type of ["round", "month", "quarter"] as PeriodType[]) for (const p of structure.periods[type]) for (const c of places) for (const [d, v] of slots) boxes.push(boxKey(type, p, c, d, v));

  // Variables: every figure of a box not published; published figures are constants.
  const vars = new Map<string, number>();
  const known = (box: string, q: string): number | undefined => {
    const s = seen.seen.get(box);
    return s && !s.hidden ? s.figures[q] : undefined;
  };
  const term = (box: string, q: string, coef: number, row: Row) => {
    const k = known(box, q);
    if (k !== undefined) {
      row.rhs -= coef * k;
      return;
    }
    const name = `${box}#${q}`;
    let id = vars.get(name);
    if (id === undefined) vars.set(name, (id = vars.size));
    row.terms.push([id, coef]);
  };
  const rows: Row[] = [];
  const relation = (parts: [string, number][], q: string) => {
    const row: Row = { terms: [], rhs: 0 };
    for (const [box, coef] of parts) term(box, q, coef, row);
    if (row.terms.length) rows.push(row);
    else if (Math.abs(row.rhs) > 1e-6) seen.conflicts.push(`published figures break a relation (${q}: off by ${row.rhs}) at ${parts.map(([b]) => b).join(" + ")}`);
  };
  for (const q of quantities) {
    for (const type of ["round", "month", "quarter"] as PeriodType[]) {
      for (const p of structure.periods[type]) {
        for (const [d, v] of slots) relation([...structure.communities.map((c) => [boxKey(type, p, c, d, v), 1] as [string, number]), [boxKey(type, p, ALL, d, v), -1]], q);
        for (const c of places) for (const dim of structure.dimensions) relation([...dim.values.map((v) => [boxKey(type, p, c, dim.id, v), 1] as [string, number]), [boxKey(type, p, c), -1]], q);
      }
    }
    for (const c of places) {
      for (const [d, v] of slots) {
        relation([...structure.periods.round.map((r) => [boxKey("round", r, c, d, v), 1] as [string, number]), ...structure.periods.month.map((mo) => [boxKey("month", mo, c, d, v), -1] as [string, number])], q);
        for (const qu of structure.periods.quarter) {
          const months = structure.periods.month.filter((mo) => quarterOfMonth(mo) === qu);
          relation([...months.map((mo) => [boxKey("month", mo, c, d, v), 1] as [string, number]), [boxKey("quarter", qu, c, d, v), -1]], q);
        }
      }
    }
  }
  log(`relations: ${rows.length}, unknowns so far ${vars.size}`);
  // Inside a box: codes add up to respondents, counted codes to n, "yes" codes (or scores) to the numerator.
  const inside: Row[] = [];
  const within = (box: string, parts: [string, number][]) => {
    const row: Row = { terms: [], rhs: 0 };
    for (const [q, coef] of parts) term(box, q, coef, row);
    if (row.terms.length) inside.push(row);
  };
  if (structure.codes.length) {
    for (const box of boxes) {
      within(box, [...structure.codes.map((c) => [`C:${c}`, 1] as [string, number]), ["A", -1]]);
      for (const ind of structure.indicators) {
        within(box, [...ind.counted.map((c) => [`C:${c}`, 1] as [string, number]), [`N:${ind.id}`, -1]]);
        if (ind.kind === "share") within(box, [...ind.yes.map((c) => [`C:${c}`, 1] as [string, number]), [`Y:${ind.id}`, -1]]);
        else within(box, [...ind.counted.map((c) => [`C:${c}`, ind.scores[c]] as [string, number]), [`Y:${ind.id}`, -1]]);
      }
    }
  }
  // Bounds between figures of one box: 0 ≤ Y ≤ N ≤ A (for shares; means: score bounds).
  const bounds: Row[] = [];
  for (const box of boxes) {
    for (const ind of structure.indicators) {
      const le = (a: [string, number][]) => {
        const row: Row = { terms: [], rhs: 0 };
        for (const [q, coef] of a) term(box, q, coef, row);
        if (row.terms.length) bounds.push(row);
      };
      le([[`N:${ind.id}`, 1], ["A", -1]]);
      if (ind.kind === "share") le([[`Y:${ind.id}`, 1], [`N:${ind.id}`, -1]]);
      else {
        const s = Object.values(ind.scores);
        le([[`Y:${ind.id}`, 1], [`N:${ind.id}`, -Math.max(...s)]]);
        le([[`N:${ind.id}`, Math.min(...s)], [`Y:${ind.id}`, -1]]);
      }
    }
  }

  log(`inside ${inside.length}, bounds ${bounds.length}, unknowns ${vars.size}`);
  const fmt = (terms: Term[]) => terms.map(([id, c]) => `${c >= 0 ? "+" : "-"} ${Math.abs(c)} x${id}`).join(" ");
  const allVars = [...vars.values()];
  const text =
    `Minimize\n obj: ${allVars.length ? allVars.map((id) => `0 x${id}`).join(" + ") : "0"}\nSubject To\n` +
    [...rows, ...inside].map((r, i) => ` e${i}: ${fmt(r.terms)} = ${r.rhs}`).join("\n") +
    "\n" +
    bounds.map((r, i) => ` b${i}: ${fmt(r.terms)} <= ${r.rhs}`).join("\n") +
    `\nBounds\n` +
    allVars.map((id) => ` 0 <= x${id} <= 1000000`).join("\n") +
    `\nEnd\n`;
  // One model, solved again for each objective: HiGHS starts each solve from the last basis.
  const loadStarted = Date.now();
  const model = allVars.length ? highs.createModel({ format: "lp", data: text }) : null;
  log(`attack model: ${allVars.length} unknowns, ${rows.length + inside.length} equalities, ${bounds.length} inequalities, loaded in ${Date.now() - loadStarted} ms`);
  model?.options.set({ output_flag: false });
  const columns = new Map(allVars.map((id) => [id, model!.getColByName(`x${id}`)]));
  const numCols = model ? model.getDimensions().numCols : 0;
  const status = highs.constants.modelStatus;
  const extreme = (sense: "Minimize" | "Maximize", objective: Term[]): number => {
    if (objective.length === 0 || !model) return 0;
    const costs = new Float64Array(numCols);
    for (const [id, c] of objective) costs[columns.get(id)!] += c;
    model.changeColsCost({ kind: "range", from: 0, to: numCols - 1 }, costs);
    model.changeObjectiveSense(sense === "Minimize" ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize);
    model.run();
    const s = model.getModelStatus();
    if (s === status.unbounded) return sense === "Minimize" ? -Infinity : Infinity;
    if (s !== status.optimal) throw new Error(`the published figures admit no solution (status ${s}): the attacker's relations are wrong`);
    return model.getObjectiveValue();
  };
  const objective = (box: string, parts: [string, number][]): { terms: Term[]; constant: number } => {
    const row: Row = { terms: [], rhs: 0 };
    for (const [q, coef] of parts) term(box, q, coef, row);
    return { terms: row.terms, constant: -row.rhs };
  };

  const hiddenBoxes = boxes.filter((b) => seen.seen.get(b)?.hidden);
  const small = hiddenBoxes.filter((b) => {
    const t = truth(b);
    return (t.A > 0 && t.A < m) || structure.indicators.some((i) => t[`N:${i.id}`] > 0 && t[`N:${i.id}`] < m);
  });
  const targets = opts.maxTargets && small.length > opts.maxTargets ? spread(small, opts.maxTargets) : small;
  const violations: Violation[] = [];
  log(`${targets.length} targets`);
  const check = (box: string, figure: string, parts: [string, number][], need: number, t: number) => {
    const o = objective(box, parts);
    const low = extreme("Minimize", o.terms) + o.constant;
    const high = extreme("Maximize", o.terms) + o.constant;
    if (high - low < need - 1e-6) violations.push({ box, figure, truth: t, low, high, need });
  };
  for (const box of targets) {
    log(`target ${box}`);
    const t = truth(box);
    if (t.A > 0 && t.A < m) check(box, "respondents", [["A", 1]], m, t.A);
    for (const ind of structure.indicators) {
      const n = t[`N:${ind.id}`];
      if (n > 0 && n < m) check(box, `n of ${ind.id}`, [[`N:${ind.id}`, 1]], m, n);
      if (n > 0) {
        const swing = ind.kind === "share" ? 1 : Math.max(...Object.values(ind.scores)) - Math.min(...Object.values(ind.scores));
        check(box, `answers of ${ind.id} (numerator)`, [[`Y:${ind.id}`, 1]], swing, t[`Y:${ind.id}`]);
        if (ind.kind === "share") check(box, `answers of ${ind.id} (the rest)`, [[`N:${ind.id}`, 1], [`Y:${ind.id}`, -1]], 1, n - t[`Y:${ind.id}`]);
      }
    }
  }
  model?.dispose();
  return { violations, checked: targets.length, hidden: hiddenBoxes.length };
}

/** `count` items spread evenly over the list (deterministic). */
function spread<T>(list: T[], count: number): T[] {
  return Array.from({ length: count }, (_, i) => list[Math.floor((i * list.length) / count)]);
}
