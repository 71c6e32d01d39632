// The fixed family of figures the app can publish about one question, and one suppression pattern
// over all of it: a cell hidden in one view is hidden in every view that could give it away.
//
// A published figure is always a "box": one period (a round, a month or a quarter), one community
// or all of them, and either everyone or one value of one group dimension (gender, age band, …).
// Views choose boxes; they never add up arbitrary sets of communities, rounds or groups, so the
// public relations between figures are known in advance:
// - in a period and group, the communities add up to all communities;
// - in a period and community, the values of a dimension add up to everyone;
// - the rounds of a box add up to the same total over all time as its months (that total is never
//   shown, but it links the two ways of cutting time), and the months of a quarter to the quarter.
// The engine (protectItems in ./disclosure) then hides small boxes and enough partners, across the
// whole family at once. Pure: the dashboard loads the sums, this module knows nothing of SQL.
import { protectItems, type ItemReason, type Line, type ProtectionProblem } from "./disclosure";

export const ALL = "*";
export type PeriodType = "round" | "month" | "quarter";
export const PERIOD_TYPES: PeriodType[] = ["round", "month", "quarter"];
/**
 * Groups (gender, age band, …) are published by round only; months and quarters show everyone, for
 * each community or all. Months cut a round's groups into slivers of one or two people that, linked
 * to the rounds through their common total, would hide nearly everything (measured: every month of
 * the demo and most of its rounds' groups).
 */
export const GROUPED_PERIODS: readonly PeriodType[] = ["round"];

/** Sums of the responses of one round, month, community and group value (dimension "" = everyone). */
export interface FamilyAtom {
  round: string;
  month: string;
  community: string;
  dimension: string;
  value: string;
  /** Additive figures; index 0 is the number of respondents (what suppression protects). */
  sums: number[];
}

export interface FamilyShape {
  /** Rounds in order, "" (no round) included. */
  rounds: string[];
  /** Every community, "" (not answered) included: empty ones are boxes of 0 like any other. */
  communities: string[];
  /** Group dimensions with every value, "" (not answered) included. */
  dimensions: { id: string; values: string[] }[];
  minCellSize: number;
  /** Width of each atom's sums. */
  width: number;
  /** Small boxes, hidden for themselves (given a box's sums). */
  primary(sums: ArrayLike<number>): boolean;
  /** Further figures a small hidden box must not give away (the engine's guards), read from a box's sums. */
  guards?: { need: number; value(sums: ArrayLike<number>): number; applies(sums: ArrayLike<number>): boolean; terms?: [number, number][] }[];
  /** Additive parts of a box (its count of each answer code) and how its respondents are made of them. */
  parts?: ((sums: ArrayLike<number>) => number)[];
  respondents?: [number, number][];
}

export interface FamilyBox {
  sums: Float64Array;
  hidden: boolean;
  /** Why it is hidden ("primary": small itself; "complementary": a partner), or null. */
  reason: ItemReason;
}

export interface Family {
  periods: Record<PeriodType, string[]>;
  /** Every community and every dimension's values, as the family holds them ("" = not answered). */
  communities: string[];
  dimensions: { id: string; values: string[] }[];
  /** The box of a period, a community (or ALL) and a group value (dimension "" = everyone). */
  box(type: PeriodType, period: string, community: string, dimension?: string, value?: string): FamilyBox;
  /** How many boxes, and how many are hidden (for notes and benchmarks). */
  size: { boxes: number; hidden: number };
}

export const quarterOfMonth = (month: string) => (month ? `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}` : "");

const SEP = "\u0001";
const keyOf = (type: string, period: string, community: string, dimension: string, value: string) =>
  `${type}${SEP}${period}${SEP}${community}${SEP}${dimension}${SEP}${value}`;

/**
 * Builds every box of the family from the atoms, and protects them all together. `protect` is the
 * engine; the tests hand a deliberately weakened one to show that their attacker catches it.
 */
export function buildFamily(shape: FamilyShape, atoms: FamilyAtom[], protect: (problem: ProtectionProblem) => ItemReason[] = protectItems): Family {
  const W = shape.width;
  const months = [...new Set(atoms.map((a) => a.month))].sort();
  const periods: Record<PeriodType, string[]> = {
    round: [...shape.rounds],
    month: months,
    quarter: [...new Set(months.map(quarterOfMonth))].sort(),
  };
  if (!periods.round.includes("")) periods.round.push("");
  const roundSet = new Set(periods.round);
  // Values found in the data but no longer offered (an older version's option) stay in the family,
  // so that "the values add up to everyone" holds exactly.
  const union = (listed: string[], found: Iterable<string>) => [...new Set([...listed, "", ...found])];
  const communities = union(shape.communities, atoms.map((a) => a.community));
  const dimensions = shape.dimensions.map((d) => ({ id: d.id, values: union(d.values, atoms.filter((a) => a.dimension === d.id).map((a) => a.value)) }));
  const slots: [string, string][] = [["", ""], ...dimensions.flatMap((d) => d.values.map((v) => [d.id, v] as [string, string]))];
  const places = [...communities, ALL];

  const index = new Map<string, number>();
  const keys: string[] = [];
  const add = (key: string) => {
    index.set(key, keys.length);
    keys.push(key);
  };
  const everyoneOnly: [string, string][] = [["", ""]];
  const slotsOf = (type: PeriodType) => (GROUPED_PERIODS.includes(type) ? slots : everyoneOnly);
  for (const type of PERIOD_TYPES) for (const p of periods[type]) for (const c of places) for (const [d, v] of slotsOf(type)) add(keyOf(type, p, c, d, v));
  const firstTimeless = keys.length;
  for (const c of places) for (const [d, v] of slots) add(keyOf("all", "", c, d, v));
  const count = keys.length;
  const sums = new Float64Array(count * W);
  const at = (id: number) => sums.subarray(id * W, id * W + W);
  const put = (id: number | undefined, from: ArrayLike<number>) => {
    if (id === undefined) return;
    const o = id * W;
    for (let k = 0; k < W; k++) sums[o + k] += from[k];
  };

  // Atoms into months, rounds, quarters and all time, each for its community and for ALL.
  for (const a of atoms) {
    const round = roundSet.has(a.round) ? a.round : "";
    for (const c of [a.community, ALL]) {
      put(index.get(keyOf("month", a.month, c, a.dimension, a.value)), a.sums);
      put(index.get(keyOf("quarter", quarterOfMonth(a.month), c, a.dimension, a.value)), a.sums);
      put(index.get(keyOf("round", round, c, a.dimension, a.value)), a.sums);
      put(index.get(keyOf("all", "", c, a.dimension, a.value)), a.sums);
    }
  }

  // "Not answered" is everyone minus the answered values: responses to a version that did not ask
  // about a dimension count there too, and "the values add up to everyone" holds exactly.
  for (const type of [...GROUPED_PERIODS, "all"]) {
    for (const p of type === "all" ? [""] : periods[type as PeriodType]) {
      for (const c of places) {
        const everyone = index.get(keyOf(type, p, c, "", ""))!;
        for (const dim of dimensions) {
          const rest = index.get(keyOf(type, p, c, dim.id, ""))!;
          const given = dim.values.filter((v) => v !== "").map((v) => index.get(keyOf(type, p, c, dim.id, v))! * W);
          for (let k = 0; k < W; k++) {
            let answered = 0;
            for (const o of given) answered += sums[o + k];
            sums[rest * W + k] = sums[everyone * W + k] - answered;
          }
        }
      }
    }
  }

  const lines: Line[] = [];
  const id = (type: string, p: string, c: string, d: string, v: string) => index.get(keyOf(type, p, c, d, v))!;
  for (const type of PERIOD_TYPES) {
    for (const p of periods[type]) {
      for (const [d, v] of slotsOf(type)) lines.push({ members: communities.map((c) => id(type, p, c, d, v)), total: id(type, p, ALL, d, v) });
      if (slotsOf(type) === slots) for (const c of places) for (const dim of dimensions) lines.push({ members: dim.values.map((v) => id(type, p, c, dim.id, v)), total: id(type, p, c, "", "") });
    }
  }
  for (const c of places) {
    for (const [d, v] of slots) {
      const total = id("all", "", c, d, v);
      lines.push({ members: periods.round.map((r) => id("round", r, c, d, v)), total });
      if (d !== "") continue; // months and quarters hold everyone only
      if (periods.month.length) lines.push({ members: periods.month.map((m) => id("month", m, c, d, v)), total });
      for (const q of periods.quarter) lines.push({ members: periods.month.filter((m) => quarterOfMonth(m) === q).map((m) => id("month", m, c, d, v)), total: id("quarter", q, c, d, v) });
    }
  }

  const values = Array.from({ length: count }, (_, i) => Math.round(sums[i * W]));
  const primary = values.map((_, i) => shape.primary(at(i)));
  const unpublished = values.map((_, i) => i >= firstTimeless);
  const guards = (shape.guards ?? []).map((g) => ({
    need: g.need,
    values: values.map((_, i) => Math.round(g.value(at(i)))),
    applies: values.map((_, i) => primary[i] && g.applies(at(i))),
    terms: g.terms,
  }));
  const parts = shape.parts?.map((part) => values.map((_, i) => Math.round(part(at(i)))));
  const reasons = protect({ values, lines, minCellSize: shape.minCellSize, primary, unpublished, guards, parts, respondents: shape.respondents });

  const empty: FamilyBox = { sums: new Float64Array(W), hidden: false, reason: null };
  return {
    periods,
    communities,
    dimensions,
    box(type, period, community, dimension = "", value = "") {
      if (dimension !== "" && !GROUPED_PERIODS.includes(type)) throw new RangeError(`groups are not published by ${type}`);
      const i = index.get(keyOf(type, period, community, dimension, value));
      // A box outside the family (a value no longer offered, a month without data) is empty.
      return i === undefined ? empty : { sums: at(i), hidden: reasons[i] !== null, reason: reasons[i] };
    },
    size: { boxes: firstTimeless, hidden: reasons.slice(0, firstTimeless).filter((r) => r !== null).length },
  };
}
