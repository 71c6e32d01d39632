// Loads the aggregate sums of one question of a survey (its indicators' sums and its answer counts)
// as the atoms of its disclosure family, and builds the family: every figure any view can publish
// about that question, with one suppression pattern (app/stats/disclosure-family.ts). Every view —
// page, chart, table, CSV, API, report, feedback — reads its figures from here.
import type { ExpressionBuilder, Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Indicator, Question } from "~/survey";
import { aggregateStamp, parseCustomKey } from "~/models/aggregates.server";
import { protectItems, type ItemReason, type ProtectionProblem } from "~/stats/disclosure";
import { loadSolver, lpNarrowItems } from "~/stats/range-audit";
import { buildFamily, type Family, type FamilyAtom } from "~/stats/disclosure-family";
import type { DashboardContext } from "./context.server";

/** Where each figure sits in a box's sums. Index 0 is the number of respondents to the question. */
export interface FamilyLayout {
  width: number;
  /** Offsets of an indicator's n, Σ score, Σ score², excluded, focus-group n. */
  indicators: Map<string, number>;
  /** Offsets of an answer code's count and rank points ("*" = answered at all). */
  codes: Map<string, number>;
}

export interface QuestionFamily {
  family: Family;
  layout: FamilyLayout;
  question: Question | undefined;
  indicators: Indicator[];
}

export const IND = { n: 0, sum: 1, sq: 2, excluded: 3, sessionN: 4 } as const;
const IND_WIDTH = 5;

function layoutOf(indicators: Indicator[], question: Question | undefined): FamilyLayout {
  let offset = 1;
  const ind = new Map<string, number>();
  for (const i of indicators) {
    ind.set(i.id, offset);
    offset += IND_WIDTH;
  }
  const codes = new Map<string, number>();
  for (const c of ["*", ...(question?.options ?? []).map((o) => o.code)]) {
    codes.set(c, offset);
    offset += 2;
  }
  return { width: offset, indicators: ind, codes };
}

/** The additive figures of an indicator's cells, summed (both indicator tables share these columns). */
const indicatorSums = (eb: ExpressionBuilder<Database, "agg_indicator_margins" | "agg_indicator_cells">) => [
  eb.fn.sum<number>("n").as("n"),
  eb.fn.sum<number>("score_sum").as("sum"),
  eb.fn.sum<number>("score_sq").as("sq"),
  eb.fn.sum<number>("excluded").as("excluded"),
  eb.fn.sum<number>(eb("n", "*", eb.ref("from_session"))).as("session_n"),
];

const atomKey = (r: { round_id: string; month: string; community_id: string }, dimension: string, value: string) =>
  `${r.round_id}\u0001${r.month}\u0001${r.community_id}\u0001${dimension}\u0001${value}`;

/** Reads the atoms of a question's family: one grouped query per aggregate table it needs. */
async function loadAtoms(db: Kysely<Database>, ctx: DashboardContext, layout: FamilyLayout, indicators: Indicator[], question: Question | undefined): Promise<FamilyAtom[]> {
  const atoms = new Map<string, FamilyAtom>();
  const atom = (r: { round_id: string; month: string; community_id: string }, dimension: string, value: string) => {
    const k = atomKey(r, dimension, value);
    let a = atoms.get(k);
    if (!a) atoms.set(k, (a = { round: r.round_id, month: r.month, community: r.community_id, dimension, value, sums: new Array<number>(layout.width).fill(0) }));
    return a;
  };
  const surveyId = ctx.survey.id;
  const ids = indicators.map((i) => i.id);
  if (ids.length) {
    const rows = await db
      .selectFrom("agg_indicator_margins")
      .select((eb) => [
        "indicator_id",
        "round_id",
        "month",
        "community_id",
        "dimension",
        "value",
        ...indicatorSums(eb),
      ])
      .where("survey_id", "=", surveyId)
      .where("indicator_id", "in", ids)
      .groupBy(["indicator_id", "round_id", "month", "community_id", "dimension", "value"])
      .execute();
    for (const r of rows) addIndicator(atom(r, r.dimension, r.value).sums, layout.indicators.get(r.indicator_id)!, r);
    const custom = ctx.dimensions.filter((d) => d.custom);
    if (custom.length) {
      const cells = await db
        .selectFrom("agg_indicator_cells")
        .select((eb) => [
          "indicator_id",
          "round_id",
          "month",
          "community_id",
          "custom_key",
          ...indicatorSums(eb),
        ])
        .where("survey_id", "=", surveyId)
        .where("indicator_id", "in", ids)
        .groupBy(["indicator_id", "round_id", "month", "community_id", "custom_key"])
        .execute();
      for (const r of cells) {
        const groups = parseCustomKey(r.custom_key);
        for (const d of custom) addIndicator(atom(r, d.id, groups[d.custom!] ?? "").sums, layout.indicators.get(r.indicator_id)!, r);
      }
    }
  }
  if (question && layout.codes.size > 1) {
    const rows = await db
      .selectFrom("agg_answer_margins")
      .select((eb) => ["round_id", "month", "community_id", "dimension", "value", "code", eb.fn.sum<number>("n").as("n"), eb.fn.sum<number>("rank_points").as("points")])
      .where("survey_id", "=", surveyId)
      .where("question_id", "=", question.id)
      .groupBy(["round_id", "month", "community_id", "dimension", "value", "code"])
      .execute();
    for (const r of rows) {
      const o = layout.codes.get(r.code);
      if (o === undefined) continue;
      const s = atom(r, r.dimension, r.value).sums;
      s[o] += Number(r.n ?? 0);
      s[o + 1] += Number(r.points ?? 0);
    }
  }
  // Respondents to the question: those its first indicator counted or left out, else those who answered.
  const first = indicators.length ? layout.indicators.get(indicators[0].id)! : null;
  const answered = layout.codes.get("*")!;
  for (const a of atoms.values()) a.sums[0] = first !== null ? a.sums[first + IND.n] + a.sums[first + IND.excluded] : a.sums[answered];
  return [...atoms.values()];
}

function addIndicator(s: number[], o: number, r: { n: unknown; sum: unknown; sq: unknown; excluded: unknown; session_n: unknown }) {
  s[o + IND.n] += Number(r.n ?? 0);
  s[o + IND.sum] += Number(r.sum ?? 0);
  s[o + IND.sq] += Number(r.sq ?? 0);
  s[o + IND.excluded] += Number(r.excluded ?? 0);
  s[o + IND.sessionN] += Number(r.session_n ?? 0);
}

// Families kept between requests, per database, until their survey's aggregate stamp moves (or
// anything else they were built from changes: the threshold, the version, communities, rounds).
const kept = new WeakMap<object, Map<string, { key: string; family: Promise<QuestionFamily> }>>();
const KEPT_PER_DATABASE = 200;

/** The family of a question, built once per change of its survey's figures. */
export async function questionFamily(db: Kysely<Database>, ctx: DashboardContext, questionId: string): Promise<QuestionFamily> {
  let byQuestion = kept.get(db);
  if (!byQuestion) kept.set(db, (byQuestion = new Map()));
  const stamp = await aggregateStamp(db, ctx.survey.id);
  const key = [
    stamp,
    ctx.programme.minCellSize,
    ctx.survey.version,
    ctx.communities.map((c) => c.id).join(","),
    ctx.rounds.map((r) => `${r.id}:${r.startsOn}:${r.endsOn}`).join(","),
  ].join("|");
  const name = `${ctx.survey.id}|${questionId}`;
  const found = byQuestion.get(name);
  if (found?.key === key) return found.family;
  const family = loadQuestionFamily(db, ctx, questionId);
  byQuestion.delete(name);
  byQuestion.set(name, { key, family });
  if (byQuestion.size > KEPT_PER_DATABASE) byQuestion.delete(byQuestion.keys().next().value!);
  family.catch(() => byQuestion!.get(name)?.family === family && byQuestion!.delete(name));
  return family;
}

/**
 * What a small hidden group's partners must hold, per indicator: at least the minimum of counted
 * respondents (so its n has room), and at least one answer either side — a "yes" and a "no" for a
 * share, a score's swing above the scale's floor and below its top for a mean — so its value
 * cannot be pinned to all-yes, all-no or one score. With one answer per respondent (single choice
 * and scales), each figure is also said in answer codes, so the engine bounds it code by code.
 */
function answerGuards(ind: Indicator, question: Question | undefined, o: number, m: number, codeIndex: Map<string, number> | null) {
  const applies = (s: ArrayLike<number>) => s[o + IND.n] > 0;
  const options = (question?.options ?? []).map((opt) => opt.code);
  const excluded = ind.kind === "share" ? (ind.denominator === "all" ? [] : ind.denominator.exclude) : ind.exclude;
  const counted = options.filter((c) => !excluded.includes(c));
  const terms = (weights: [string, number][]) => (codeIndex ? weights.filter(([, w]) => w !== 0).map(([c, w]) => [codeIndex.get(c)!, w] as [number, number]) : undefined);
  const n = { need: m, value: (s: ArrayLike<number>) => s[o + IND.n], applies: (s: ArrayLike<number>) => s[o + IND.n] > 0 && s[o + IND.n] < m, terms: terms(counted.map((c) => [c, 1])) };
  if (ind.kind === "share") {
    const yes = counted.filter((c) => ind.codes.includes(c));
    const rest = counted.filter((c) => !ind.codes.includes(c));
    return [
      n,
      { need: 1, value: (s: ArrayLike<number>) => s[o + IND.sum], applies, terms: terms(yes.map((c) => [c, 1])) },
      { need: 1, value: (s: ArrayLike<number>) => s[o + IND.n] - s[o + IND.sum], applies, terms: terms(rest.map((c) => [c, 1])) },
    ];
  }
  const scores = counted.map(Number);
  const [low, high] = [Math.min(...scores), Math.max(...scores)];
  const swing = high - low;
  if (!(swing > 0)) return [n];
  return [
    n,
    { need: swing, value: (s: ArrayLike<number>) => s[o + IND.sum] - low * s[o + IND.n], applies, terms: terms(counted.map((c) => [c, Number(c) - low])) },
    { need: swing, value: (s: ArrayLike<number>) => high * s[o + IND.n] - s[o + IND.sum], applies, terms: terms(counted.map((c) => [c, high - Number(c)])) },
  ];
}

/** Builds the family of a question: its indicators' figures and its answer distribution. */
export async function loadQuestionFamily(
  db: Kysely<Database>,
  ctx: DashboardContext,
  questionId: string,
  /** The engine; the tests hand a weakened one to show their attacker catches it. */
  protect?: (problem: ProtectionProblem) => ItemReason[],
): Promise<QuestionFamily> {
  const def = ctx.survey.definition;
  const question = def.questions.find((q) => q.id === questionId);
  const indicators = def.indicators.filter((i) => i.question === questionId);
  const layout = layoutOf(indicators, question);
  const atoms = await loadAtoms(db, ctx, layout, indicators, question);
  const m = ctx.programme.minCellSize;
  const offsets = indicators.map((i) => layout.indicators.get(i.id)!);
  // One answer per respondent: a box's respondents are its answer counts added up.
  const codes = question && (question.type === "single" || question.type === "scale") ? (question.options ?? []).map((opt) => opt.code) : [];
  const codeIndex = codes.length ? new Map(codes.map((c, k) => [c, k])) : null;
  const solver = await loadSolver();
  const family = buildFamily(
    {
      rounds: ctx.rounds.map((r) => r.id),
      communities: ctx.communities.map((c) => c.id),
      dimensions: ctx.dimensions.filter((d) => d.id !== "community").map((d) => ({ id: d.id, values: d.values.map((v) => v.code) })),
      minCellSize: m,
      width: layout.width,
      primary: (s) => (s[0] > 0 && s[0] < m) || offsets.some((o) => s[o + IND.n] > 0 && s[o + IND.n] < m),
      guards: indicators.flatMap((ind, k) => answerGuards(ind, question, offsets[k], m, codeIndex)),
      parts: codeIndex ? codes.map((c) => (s: ArrayLike<number>) => s[layout.codes.get(c)!]) : undefined,
      respondents: codeIndex ? codes.map((_, k) => [k, 1] as [number, number]) : undefined,
    },
    atoms,
    protect ??
      ((problem) => {
        const verified = new Set<number>();
        return protectItems({ ...problem, audit: (figures, hidden, watched) => lpNarrowItems(solver, problem, figures, hidden, watched, verified) });
      }),
  );
  return { family, layout, question, indicators };
}
