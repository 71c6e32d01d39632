// The accumulator behind every dashboard figure is written for speed (interned keys, flat sums).
// These tests hold it to a plain, obviously correct summation: for each response, add its part to
// a cell named by a readable key, one cell at a time.
import { describe, expect, it } from "vitest";
import { AGGREGATE_TABLES, AggregateAccumulator, BUILT_IN_DIMENSIONS, groupKey, roundFor, type AggregateInput, type RoundDates } from "../../app/models/aggregates.server";
import { getTemplate } from "../../app/survey-templates.server";
import { communitySecurityAnswers, profile, seeded } from "../../app/demo/synthetic";
import { hasAnswer, isChoice, scoreAll, type SurveyDefinition } from "../../app/survey";

type Row = Record<string, string | number>;

/** The reference: one readable key per cell, sums added response by response. */
function referenceRows(inputs: AggregateInput[], rounds: RoundDates[], sign: 1 | -1) {
  const tables: Record<string, Map<string, Row>> = { agg_indicator_cells: new Map(), agg_indicator_margins: new Map(), agg_answer_margins: new Map() };
  const bump = (table: string, key: Row, sums: Record<string, number>) => {
    const k = JSON.stringify(key);
    const row = tables[table].get(k) ?? { ...key, ...Object.fromEntries(Object.keys(sums).map((s) => [s, 0])) };
    for (const [s, v] of Object.entries(sums)) row[s] = (row[s] as number) + v;
    tables[table].set(k, row);
  };
  for (const r of inputs) {
    const def = r.definition;
    const place = {
      survey_id: r.surveyId,
      survey_version: r.surveyVersion,
      round_id: roundFor(r.roundId, r.collectedAt, rounds),
      month: r.collectedAt.slice(0, 7),
      community_id: r.communityId ?? "",
      from_session: r.sessionId ? 1 : 0,
    };
    const group = groupKey(def, r.answers);
    const dims = BUILT_IN_DIMENSIONS.filter((d) => def.questions.some((q) => q.disaggregation === d));
    const margins = [{ dimension: "", value: "" }, ...dims.map((d) => ({ dimension: d, value: group[d] }))];
    scoreAll(def, r.answers).forEach((s, k) => {
      const sums = {
        n: s.counted ? sign : 0,
        score_sum: s.counted ? sign * s.value : 0,
        score_sq: s.counted ? sign * s.value * s.value : 0,
        excluded: !s.counted && s.reason === "excluded" ? sign : 0,
        missing: !s.counted && s.reason !== "excluded" ? sign : 0,
      };
      const indicator_id = def.indicators[k].id;
      bump("agg_indicator_cells", { ...place, ...group, indicator_id }, sums);
      for (const m of margins) bump("agg_indicator_margins", { ...place, ...m, indicator_id }, sums);
    });
    for (const q of def.questions) {
      if (!isChoice(q) || !hasAnswer(r.answers[q.id])) continue;
      const v = r.answers[q.id];
      const codes = Array.isArray(v) ? v.map(String) : [String(v)];
      const picks = q.type === "ranking" ? (q.maxPicks ?? codes.length) : 0;
      ["*", ...codes].forEach((code, i) => {
        const points = i > 0 && q.type === "ranking" ? Math.max(0, picks - (i - 1)) : 0;
        for (const m of margins) bump("agg_answer_margins", { ...place, ...m, question_id: q.id, code }, { n: sign, rank_points: sign * points });
      });
    }
  }
  return Object.fromEntries(Object.entries(tables).map(([t, m]) => [t, [...m.values()].map((row) => JSON.stringify(sortKeys(row))).sort()]));
}

const sortKeys = (row: object) => Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)));
const accumulatorRows = (acc: AggregateAccumulator) =>
  Object.fromEntries(AGGREGATE_TABLES.map((t) => [t.table, (t.rows(acc) as object[]).map((row) => JSON.stringify(sortKeys(row))).sort()]));

/** Version 2 adds an option code and an indicator to version 1, as authors do between rounds. */
function twoVersions(): [SurveyDefinition, SurveyDefinition] {
  const v1 = structuredClone(getTemplate("community_security")!.definition);
  const v2 = structuredClone(v1);
  const resolver = v2.questions.find((q) => q.id === "dispute_resolver")!;
  if (!isChoice(resolver) || !resolver.options) throw new Error("the template changed: dispute_resolver has no options");
  resolver.options.push({ code: "ngo", label: { en: "An NGO" } } as (typeof resolver.options)[number]);
  v2.indicators.push({ ...structuredClone(v2.indicators[0]), id: "extra_indicator" });
  return [v1, v2];
}

function responses(n: number, defs: SurveyDefinition[], seed = 7): AggregateInput[] {
  const rng = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const version = (i % defs.length) + 1;
    const answers: Record<string, string | string[]> = communitySecurityAnswers(rng, profile(rng, i % 3, 0));
    if (version === 2 && i % 4 === 1) answers.dispute_resolver = "ngo";
    if (i % 9 === 0) delete answers.gender; // an unanswered dimension has its own margin ("")
    return {
      id: `r${i}`,
      surveyId: i % 5 === 0 ? "survey-b" : "survey-a",
      surveyVersion: version,
      definition: defs[version - 1],
      answers,
      communityId: i % 7 === 0 ? null : `c${i % 3}`,
      roundId: i % 2 === 0 ? "round-1" : null,
      sessionId: i % 6 === 0 ? "s1" : null,
      collectedAt: new Date(Date.UTC(2026, i % 4, 1 + (i % 27), 10)).toISOString(),
    };
  });
}

const rounds: RoundDates[] = [
  { id: "round-1", startsOn: "2026-01-01", endsOn: "2026-02-28" },
  { id: "round-2", startsOn: "2026-03-01", endsOn: "2026-03-31" },
];

describe("the aggregate accumulator", () => {
  it("sums exactly what a plain per-response summation does, across versions with different indicators and codes", () => {
    const defs = twoVersions();
    const inputs = responses(600, defs);
    const acc = new AggregateAccumulator();
    for (const r of inputs) acc.add(r, rounds, 1);
    const expected = referenceRows(inputs, rounds, 1);
    expect(accumulatorRows(acc)).toEqual(expected);
    expect(acc.cells).toBe(Object.values(expected).reduce((n, rows) => n + rows.length, 0));
    // The new code and the new indicator really were counted (so the test can see slots grow).
    expect(expected.agg_answer_margins.some((r) => r.includes('"code":"ngo"'))).toBe(true);
    expect(expected.agg_indicator_margins.some((r) => r.includes('"indicator_id":"extra_indicator"'))).toBe(true);
  });

  it("sums the same when responses come in cell order, as imports send them, sharing place and group run after run", () => {
    const defs = twoVersions();
    const inputs = responses(600, defs, 3);
    // Place first, then group, then version: runs of one place and group, with version 2's new
    // code and indicator appearing partway through a run.
    const place = (r: AggregateInput) => [r.surveyId, r.roundId ?? "", r.collectedAt.slice(0, 7), r.communityId ?? "", r.sessionId ? 1 : 0].join("|");
    const group = (r: AggregateInput) => JSON.stringify(groupKey(r.definition, r.answers));
    const sorted = [...inputs].sort((a, b) => place(a).localeCompare(place(b)) || group(a).localeCompare(group(b)) || a.surveyVersion - b.surveyVersion);
    const acc = new AggregateAccumulator();
    let runs = 0;
    sorted.forEach((r, i) => {
      if (i > 0 && place(r) === place(sorted[i - 1]) && group(r) === group(sorted[i - 1])) runs++;
      acc.add(r, rounds, 1);
    });
    expect(runs).toBeGreaterThan(100);
    expect(accumulatorRows(acc)).toEqual(referenceRows(inputs, rounds, 1));
  });

  it("takes responses away (exclusions) with the same cells, negated", () => {
    const defs = twoVersions();
    const inputs = responses(120, defs, 11).reverse(); // version 2 first: slots are interned in another order
    const acc = new AggregateAccumulator();
    for (const r of inputs) acc.add(r, rounds, -1);
    expect(accumulatorRows(acc)).toEqual(referenceRows(inputs, rounds, -1));
  });
});
