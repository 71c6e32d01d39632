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
import { GROUPED_PERIODS, quarterOfMonth } from "../../app/stats/disclosure-family";

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
 *
 * Every figure of a box is a sum of its answer counts with fixed, non-negative weights (respondents:
 * every code; an indicator's n: its counted codes; its numerator: its "yes" codes or their scores),
 * a box is published whole or hidden whole, and every relation between boxes (sums over communities,
 * a dimension's values, periods) holds for each answer code by itself. So the attack splits into one
 * linear programme per answer code, over the hidden boxes' counts of that code, and the range of a
 * figure is the weighted sum of its codes' ranges — the same ranges one LP over every figure at once
 * would give, for a fraction of the work.
 */
export async function attack(structure: AttackStructure, seen: Observations, truth: (box: string) => Figures): Promise<{ violations: Violation[]; checked: number; hidden: number }> {
  if (!structure.codes.length) throw new Error("the attacker needs the question's answer distributions");
  const highs = await highsLoader();
  const log = (what: string) => process.env.ATTACK_VERBOSE && appendFileSync(process.env.ATTACK_VERBOSE, `attack: ${what} at ${new Date().toISOString()}\n`);
  const m = structure.minCellSize;
  const slots: [string, string][] = [["", ""], ...structure.dimensions.flatMap((d) => d.values.map((v) => [d.id, v] as [string, string]))];
  const places = [...structure.communities, ALL];
  // Groups are published by round only (months and quarters: everyone).
  const slotsOf = (type: PeriodType): [string, string][] => (GROUPED_PERIODS.includes(type) ? slots : [["", ""]]);
  const boxes: string[] = [];
  for (const type of ["round", "month", "quarter"] as PeriodType[]) for (const p of structure.periods[type]) for (const c of places) for (const [d, v] of slotsOf(type)) boxes.push(boxKey(type, p, c, d, v));

  // A published box must hold together: its respondents, n's and numerators are what its answer counts give.
  const weights = (figure: string): Record<string, number> => {
    if (figure === "A") return Object.fromEntries(structure.codes.map((c) => [c, 1]));
    const [kind, id] = figure.split(":");
    const ind = structure.indicators.find((i) => i.id === id)!;
    if (kind === "N") return Object.fromEntries(ind.counted.map((c) => [c, 1]));
    if (kind === "R") return Object.fromEntries(ind.counted.filter((c) => !ind.yes.includes(c)).map((c) => [c, 1]));
    return ind.kind === "share" ? Object.fromEntries(ind.yes.map((c) => [c, 1])) : Object.fromEntries(ind.counted.map((c) => [c, ind.scores[c]]));
  };
  const shown = (box: string) => {
    const s = seen.seen.get(box);
    return s && !s.hidden ? s.figures : undefined;
  };
  for (const box of boxes) {
    const f = shown(box);
    if (!f) continue;
    const missing = structure.codes.filter((c) => f[`C:${c}`] === undefined);
    if (missing.length) {
      seen.conflicts.push(`${box} is shown without its answer counts (${missing.join(", ")})`);
      continue;
    }
    for (const [q, v] of Object.entries(f)) {
      if (q.startsWith("C:")) continue;
      const w = Object.entries(weights(q)).reduce((s, [c, k]) => s + k * f[`C:${c}`], 0);
      if (Math.abs(w - v) > 1e-6) seen.conflicts.push(`${box} ${q} is ${v}, its answer counts give ${w}`);
    }
  }

  const hiddenBoxes = boxes.filter((b) => !shown(b));
  // Every hidden box whose group is small.
  const targets = boxes.filter((b) => seen.seen.get(b)?.hidden).filter((b) => {
    const t = truth(b);
    return (t.A > 0 && t.A < m) || structure.indicators.some((i) => t[`N:${i.id}`] > 0 && t[`N:${i.id}`] < m);
  });
  log(`${boxes.length} boxes, ${hiddenBoxes.length} not published, ${targets.length} small ones to attack`);

  // The relations between boxes, the same for every code.
  const groups: [string, number][][] = [];
  for (const type of ["round", "month", "quarter"] as PeriodType[]) {
    for (const p of structure.periods[type]) {
      for (const [d, v] of slotsOf(type)) groups.push([...structure.communities.map((c) => [boxKey(type, p, c, d, v), 1] as [string, number]), [boxKey(type, p, ALL, d, v), -1]]);
      if (slotsOf(type) === slots) for (const c of places) for (const dim of structure.dimensions) groups.push([...dim.values.map((v) => [boxKey(type, p, c, dim.id, v), 1] as [string, number]), [boxKey(type, p, c), -1]]);
    }
  }
  for (const c of places) {
    for (const [d, v] of slots) {
      if (d !== "") continue; // no month or quarter boxes for groups: their rounds add up to an unknown
      groups.push([...structure.periods.round.map((r) => [boxKey("round", r, c, d, v), 1] as [string, number]), ...structure.periods.month.map((mo) => [boxKey("month", mo, c, d, v), -1] as [string, number])]);
      for (const qu of structure.periods.quarter) {
        const months = structure.periods.month.filter((mo) => quarterOfMonth(mo) === qu);
        groups.push([...months.map((mo) => [boxKey("month", mo, c, d, v), 1] as [string, number]), [boxKey("quarter", qu, c, d, v), -1]]);
      }
    }
  }

  // Per code: the hidden boxes' counts are the unknowns; one model, solved again per objective
  // (HiGHS starts each solve from the last basis).
  const ranges = new Map<string, Record<string, [number, number]>>(targets.map((b) => [b, {}]));
  for (const code of structure.codes) {
    const q = `C:${code}`;
    const vars = new Map<string, number>();
    const rows: Row[] = [];
    for (const parts of groups) {
      const row: Row = { terms: [], rhs: 0 };
      for (const [box, coef] of parts) {
        const f = shown(box);
        if (f) row.rhs -= coef * f[q];
        else {
          let id = vars.get(box);
          if (id === undefined) vars.set(box, (id = vars.size));
          row.terms.push([id, coef]);
        }
      }
      if (row.terms.length) rows.push(row);
      else if (Math.abs(row.rhs) > 1e-6) seen.conflicts.push(`published figures break a relation (${q}: off by ${row.rhs}) at ${parts.map(([b]) => b).join(" + ")}`);
    }
    const fmt = (terms: Term[]) => terms.map(([id, c]) => `${c >= 0 ? "+" : "-"} ${Math.abs(c)} x${id}`).join(" ");
    const ids = [...vars.values()];
    const text =
      `Minimize\n obj: ${ids.length ? ids.map((id) => `0 x${id}`).join(" + ") : "0"}\nSubject To\n` +
      (rows.length ? rows.map((r, i) => ` e${i}: ${fmt(r.terms)} = ${r.rhs}`).join("\n") : ` e0: 0 x0 = 0`) +
      `\nBounds\n` +
      ids.map((id) => ` 0 <= x${id} <= 1000000`).join("\n") +
      `\nEnd\n`;
    const model = ids.length ? highs.createModel({ format: "lp", data: text }) : null;
    model?.options.set({ output_flag: false });
    const numCols = model ? model.getDimensions().numCols : 0;
    const status = highs.constants.modelStatus;
    const extreme = (sense: "Minimize" | "Maximize", id: number): number => {
      const costs = new Float64Array(numCols);
      costs[model!.getColByName(`x${id}`)] = 1;
      model!.changeColsCost({ kind: "range", from: 0, to: numCols - 1 }, costs);
      model!.changeObjectiveSense(sense === "Minimize" ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize);
      model!.run();
      const s = model!.getModelStatus();
      if (s === status.unbounded) return sense === "Minimize" ? -Infinity : Infinity;
      if (s !== status.optimal) throw new Error(`the published figures admit no solution (status ${s}): the attacker's relations are wrong`);
      return model!.getObjectiveValue();
    };
    const started = Date.now();
    for (const box of targets) {
      const id = vars.get(box);
      // A hidden box that no relation touches is unknown from 0 to anything.
      ranges.get(box)![code] = id === undefined ? [0, Infinity] : [extreme("Minimize", id), extreme("Maximize", id)];
    }
    log(`code ${code}: ${ids.length} unknowns, ${rows.length} relations, ${targets.length * 2} solves in ${Date.now() - started} ms`);
    model?.dispose();
  }

  const violations: Violation[] = [];
  const check = (box: string, figure: string, q: string, need: number, t: number) => {
    let low = 0;
    let high = 0;
    for (const [c, k] of Object.entries(weights(q))) {
      const [lo, hi] = ranges.get(box)![c];
      low += k * lo;
      high += k * hi;
    }
    if (high - low < need - 1e-6) violations.push({ box, figure, truth: t, low, high, need });
  };
  for (const box of targets) {
    const t = truth(box);
    if (t.A > 0 && t.A < m) check(box, "respondents", "A", m, t.A);
    for (const ind of structure.indicators) {
      const n = t[`N:${ind.id}`];
      if (n > 0 && n < m) check(box, `n of ${ind.id}`, `N:${ind.id}`, m, n);
      if (n > 0) {
        const swing = ind.kind === "share" ? 1 : Math.max(...Object.values(ind.scores)) - Math.min(...Object.values(ind.scores));
        check(box, `answers of ${ind.id} (numerator)`, `Y:${ind.id}`, swing, t[`Y:${ind.id}`]);
        if (ind.kind === "share") check(box, `answers of ${ind.id} (the rest)`, `R:${ind.id}`, 1, n - t[`Y:${ind.id}`]);
      }
    }
  }
  return { violations, checked: targets.length, hidden: hiddenBoxes.length };
}
