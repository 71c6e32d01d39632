// An attacker with a manager's API token collects every figure the app publishes about a question —
// every allowed period, community, group filter and split through the series API, and the answer
// distributions the dashboard shows — and solves for every hidden small group's feasible range
// (tests/support/attacker.ts). On random programmes and on the demo, every such group keeps the
// documented margin; the same attacker breaks deliberately weakened suppression, and the views
// that differencing needs (two communities, two groups at once, groups by month) are refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { freshDatabase, type TestDb } from "../support/databases";
import { aUser } from "../support/fixtures";
import { ALL, attack, boxKey, Observations, type AttackIndicator, type AttackStructure, type Figures, type PeriodType } from "../support/attacker";
import { createCommunity, createProgramme, setMembership } from "../../app/models/programmes.server";
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { createRound } from "../../app/models/rounds.server";
import { createLink, resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { foldPendingAggregates } from "../../app/models/aggregates.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { getTemplate } from "../../app/survey-templates.server";
import { loadDemo } from "../../app/demo/demo.server";
import { seeded, type Rng } from "../../app/demo/synthetic";
import { loadSurveyContext, type DashboardContext } from "../../app/dashboard/context.server";
import { IND, loadQuestionFamily, questionFamily, type QuestionFamily } from "../../app/dashboard/family.server";
import { answerDistribution } from "../../app/dashboard/series.server";
import { surveyPeriods } from "../../app/dashboard/cells.server";
import type { ItemReason, ProtectionProblem } from "../../app/stats/disclosure";
import { quarterOfMonth } from "../../app/stats/disclosure-family";
import { loader as seriesLoader } from "../../app/routes/api.v1.surveys.$surveyId.indicators.$indicatorId.series";
import type { Viewer } from "../../app/models/viewer";

const QUESTIONS = ["safe_after_dark", "trust_police"];

/** A programme shaped to have small groups: a big, a middling, a tiny and a one-person community, rare genders and answers. */
async function randomProgramme(db: Kysely<Database>, seed: number, manager: Viewer) {
  const rng = seeded(seed);
  const facilitator = await aUser(db, `Facilitator ${seed}`);
  const programmeId = await createProgramme(db, { name: `Random ${seed}`, country: "Kenya", description: "", minCellSize: 5 });
  await setMembership(db, { programmeId, userId: facilitator.id, role: "facilitator" });
  await setMembership(db, { programmeId, userId: manager.id, role: "manager" });
  const names = ["Big", "Middle", "Tiny", "Lone"];
  const communities = [];
  for (const name of names) communities.push(await createCommunity(db, { programmeId, name: `${name} ${seed}`, region: "" }));
  const definition = structuredClone(getTemplate("sdg16_core")!.definition);
  const surveyId = await createSurvey(db, { programmeId, definition, createdBy: facilitator.id });
  if (!(await publishDraft(db, surveyId, facilitator.id)).ok) throw new Error("did not publish");
  await createRound(db, { programmeId, name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-02-28" });
  await createRound(db, { programmeId, name: "Midline", kind: "midline", startsOn: "2026-03-01", endsOn: "2026-04-30" });
  await createRound(db, { programmeId, name: "Endline", kind: "endline", startsOn: "2026-05-01", endsOn: "2026-06-15" });
  const links = [];
  for (const c of communities) links.push(await createLink(db, { surveyId, mode: "self", label: c, communityId: c, createdBy: facilitator.id }));
  const unbound = await createLink(db, { surveyId, mode: "self", label: "no community", createdBy: facilitator.id });

  const pick = <T,>(r: Rng, weights: [T, number][]): T => {
    let x = r() * weights.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of weights) if ((x -= w) < 0) return v;
    return weights[weights.length - 1][0];
  };
  const answers = (r: Rng, safer: number) => ({
    safe_after_dark: pick(r, [["1", 2 + safer], ["2", 3], ["3", 3], ["4", 1.5], ["5", 0.4], ["99", 0.4]]),
    safe_daytime: pick(r, [["1", 4], ["2", 3], ["3", 1], ["4", 0.5], ["99", 0.3]]),
    trust_police: pick(r, [["1", 1], ["2", 2], ["3", 3], ["4", 1 + safer], ["99", 0.5]]),
    trust_courts: pick(r, [["1", 1], ["2", 2], ["3", 2], ["4", 1], ["99", 0.5]]),
    would_report_crime: "0",
    gender: pick(r, [["woman", 48], ["man", 48], ["other", 4]]),
    age_band: pick(r, [["18_24", 20], ["25_34", 30], ["35_49", 30], ["50_64", 15], ["65_plus", 5]]),
    disability: pick(r, [["1", 8], ["0", 92]]),
  });
  const day = (r: Rng) => new Date(Date.UTC(2026, 0, 5) + Math.floor(r() * 196) * 86_400_000 + 36_000_000).toISOString();
  const batches: [typeof unbound, Record<string, unknown>[]][] = [
    [links[0], Array.from({ length: 150 + Math.floor(rng() * 60) }, () => answers(rng, 1))],
    [links[1], Array.from({ length: 35 + Math.floor(rng() * 20) }, () => answers(rng, 0))],
    [links[2], Array.from({ length: 2 + Math.floor(rng() * 3) }, () => answers(rng, -1))],
    // One person whose only answer about the dark is "don't know": an n = 0 cell that must not say so.
    [links[3], [{ ...answers(rng, 0), safe_after_dark: "99" }]],
    [unbound, Array.from({ length: 3 }, () => answers(rng, 0))],
  ];
  for (const [link, list] of batches) {
    const resolved = (await resolveLink(db, link.token))!;
    const items = list.map((a) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: day(rng), language: "en", answers: a }));
    const results = await ingestResponses(db, resolved, items);
    expect(results.filter((x) => x.status !== "created")).toEqual([]);
  }
  await foldPendingAggregates(db);
  return surveyId;
}

/** What the attacker knows of the question from the published definition. */
function structureOf(ctx: DashboardContext, qf: QuestionFamily, months: string[]): AttackStructure {
  const q = qf.question!;
  const indicators: AttackIndicator[] = qf.indicators.map((i) => {
    const exclude = i.kind === "share" ? (i.denominator === "all" ? [] : i.denominator.exclude) : i.exclude;
    const counted = q.options!.map((o) => o.code).filter((c) => !exclude.includes(c));
    return { id: i.id, kind: i.kind, counted, yes: i.kind === "share" ? i.codes : [], scores: Object.fromEntries(counted.map((c) => [c, Number(c)])) };
  });
  const quarters = [...new Set(months.map(quarterOfMonth))];
  return {
    periods: { round: [...ctx.rounds.map((r) => r.id), ""], month: months, quarter: quarters },
    communities: [...ctx.communities.map((c) => c.id), ""],
    dimensions: ctx.dimensions.filter((d) => d.id !== "community").map((d) => ({ id: d.id, values: [...d.values.map((v) => v.code), ""] })),
    codes: q.options!.map((o) => o.code),
    indicators,
    minCellSize: ctx.programme.minCellSize,
  };
}

/** Every allowed view (and some refused ones) of the question through the series API and the distributions. */
async function collect(db: Kysely<Database>, ctx: DashboardContext, viewer: Viewer, token: string, structure: AttackStructure, questionId: string) {
  const seen = new Observations();
  const context = { db, dialect: "sqlite", cspNonce: "", clientAddress: "127.0.0.1" } as unknown as AppLoadContext;
  const demographic = structure.dimensions;
  const filters: ([string, string] | null)[] = [null, ...demographic.flatMap((d) => d.values.filter(Boolean).map((v) => [d.id, v] as [string, string]))];
  const splits: string[][] = [[], ["community"], ...demographic.map((d) => [d.id]), ...demographic.map((d) => ["community", d.id])];
  const communities = [null, ...ctx.communities.map((c) => c.id)];
  const valuesOf = (dim: string) => (dim === "community" ? structure.communities : structure.dimensions.find((d) => d.id === dim)!.values);
  let refused = 0;
  let calls = 0;
  const zero = (): Figures => Object.fromEntries(["A", ...structure.indicators.flatMap((i) => [`N:${i.id}`, `Y:${i.id}`]), ...structure.codes.map((c) => `C:${c}`)].map((q) => [q, 0]));
  for (const period of ["round", "month", "quarter"] as PeriodType[]) {
    for (const community of communities) {
      for (const filter of filters) {
        for (const by of splits) {
          const place = community ?? ALL;
          const boxFor = (p: string, group: Record<string, string>) => {
            let c = place;
            let d = filter?.[0] ?? "";
            let v = filter?.[1] ?? "";
            for (const [k, val] of Object.entries(group)) {
              if (k === "community") c = val;
              else [d, v] = [k, val];
            }
            return boxKey(period, p, c, d, v);
          };
          const combos = (): Record<string, string>[] => {
            let out: Record<string, string>[] = [{}];
            for (const d of by) {
              let values = valuesOf(d);
              if (d === "community" && community) values = [community];
              if (filter && filter[0] === d) values = [filter[1]];
              out = out.flatMap((g) => values.map((v) => ({ ...g, [d]: v })));
            }
            return out;
          };
          const outside = filter !== null && by.some((d) => d !== "community" && d !== filter[0]);
          // Views outside the family are refused; the attacker tries a sample of them, not all.
          if (outside && refused >= 12) continue;
          for (const ind of structure.indicators) {
            const params = new URLSearchParams({ period });
            if (by.length) params.set("by", by.join(","));
            if (community) params.set("community", community);
            if (filter) params.set(`g.${filter[0]}`, filter[1]);
            calls += 1;
            if (process.env.ATTACK_VERBOSE && (calls % 200 === 0 || calls > 1900)) console.log(`collect: ${calls} calls ${params}`);
            const res = await seriesLoader({
              request: new Request(`http://localhost/api/v1/surveys/${ctx.survey.id}/indicators/${ind.id}/series?${params}`, { headers: { Authorization: `Bearer ${token}` } }),
              context,
              params: { surveyId: ctx.survey.id, indicatorId: ind.id },
            } as never).catch((e: unknown) => e as Response);
            if (res.status === 400) {
              refused += 1;
              continue;
            }
            const body = await res.json();
            const shownPeriods = new Set<string>();
            const take = (p: { period: string; group: Record<string, string>; n: number | null; value: number | null; suppressed: boolean }, group: Record<string, string>) => {
              shownPeriods.add(p.period);
              const box = boxFor(p.period, group);
              if (p.suppressed) seen.see(box, true);
              // Counts and score sums are whole numbers: the attacker rounds away floating-point noise.
              else seen.see(box, false, { [`N:${ind.id}`]: p.n!, [`Y:${ind.id}`]: p.n ? Math.round(p.value! * p.n) : 0 });
            };
            for (const p of body.points) take(p, by.length ? p.group : {});
            for (const p of body.totals ?? []) take({ ...p, group: {} }, {});
            if (by.length) {
              // A split lists every group with anyone in it: a group left out had nobody.
              for (const p of shownPeriods) for (const g of combos()) if (!body.points.some((x: { period: string; group: Record<string, string> }) => x.period === p && by.every((d) => x.group[d] === g[d]))) seen.see(boxFor(p, g), false, zero());
            }
          }
          if (by.length <= 1 && structure.codes.length) {
            const dims = by.map((id) => ctx.dimensions.find((d) => d.id === id)!);
            const view = { communities: community ? [community] : undefined, groups: filter ? { [filter[0]]: filter[1] } : {} };
            let dist;
            if (process.env.ATTACK_VERBOSE && calls > 1900) console.log(`distribution ${period} ${community} ${filter} ${by}`);
            try {
              dist = await answerDistribution(db, ctx, questionId, { period, by: dims, filters: view });
            } catch {
              continue; // outside the family: the page shows a notice instead
            }
            if (!dist) continue;
            const periodsShown = new Set(dist.rows.map((r) => r.period));
            for (const r of dist.rows) {
              const box = boxFor(r.period, r.group);
              if (r.suppressed) seen.see(box, true);
              else seen.see(box, false, { A: r.n!, ...Object.fromEntries(structure.codes.map((c) => [`C:${c}`, Math.round((r.shares[c] ?? 0) * r.n!)])) });
            }
            if (by.length) for (const p of periodsShown) for (const g of combos()) if (!dist.rows.some((x) => x.period === p && by.every((d) => x.group[d] === g[d]))) seen.see(boxFor(p, g), false, zero());
          }
        }
      }
    }
  }
  return { seen, refused, calls };
}

/** The real figures of every box, from the family the app builds. */
function truthOf(qf: QuestionFamily) {
  return (key: string): Figures => {
    const [type, period, community, dimension, value] = key.split("|");
    const box = qf.family.box(type as PeriodType, period, community, dimension, value);
    const out: Figures = { A: box.sums[0] };
    for (const i of qf.indicators) {
      const o = qf.layout.indicators.get(i.id)!;
      out[`N:${i.id}`] = box.sums[o + IND.n];
      out[`Y:${i.id}`] = box.sums[o + IND.sum];
    }
    for (const [c, o] of qf.layout.codes) if (c !== "*") out[`C:${c}`] = box.sums[o];
    return out;
  };
}

/** What a view shows of a family, for a weakened engine that never reaches the API: every box, hidden or with its figures. */
function everythingShown(structure: AttackStructure, qf: QuestionFamily, periods: Record<PeriodType, string[]>): Observations {
  const seen = new Observations();
  const truth = truthOf(qf);
  const places = [...structure.communities, ALL];
  const slots: [string, string][] = [["", ""], ...structure.dimensions.flatMap((d) => d.values.map((v) => [d.id, v] as [string, string]))];
  for (const type of ["round", "month", "quarter"] as PeriodType[])
    for (const p of periods[type])
      for (const c of places)
        for (const [d, v] of type === "round" ? slots : [["", ""]]) {
          const key = boxKey(type, p, c, d, v);
          if (qf.family.box(type, p, c, d, v).hidden) seen.see(key, true);
          else seen.see(key, false, truth(key));
        }
  return seen;
}

/** How much of the family is hidden: round boxes (everyone, and groups) and month boxes. */
function hiddenShare(qf: QuestionFamily): string {
  const f = qf.family;
  const count = (type: PeriodType, grouped: boolean) => {
    let all = 0;
    let hidden = 0;
    for (const p of f.periods[type])
      for (const c of [...f.communities, ALL])
        for (const [d, v] of grouped && type === "round" ? f.dimensions.flatMap((dim) => dim.values.map((val) => [dim.id, val])) : [["", ""]]) {
          const box = f.box(type, p, c, d, v);
          if (box.sums[0] === 0) continue;
          all += 1;
          if (box.hidden) hidden += 1;
        }
    return `${hidden}/${all}`;
  };
  return `hidden (non-empty): rounds ${count("round", false)}, round groups ${count("round", true)}, months ${count("month", false)}, quarters ${count("quarter", false)}`;
}

/** Small groups hidden, and nothing else: the subtraction of visible figures from a total gives them back. */
const primaryOnly = (p: ProtectionProblem): ItemReason[] => p.values.map((_, i) => (p.unpublished?.[i] ? "unpublished" : p.primary![i] ? "primary" : null));


describe("an attacker with every published view", () => {
  let t: TestDb;
  let manager: Awaited<ReturnType<typeof aUser>>;
  let token: string;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    manager = await aUser(t.db, "Curious Manager");
    token = (await createApiToken(t.db, manager.id, "attack")).token;
  });
  afterAll(async () => t?.drop());

  async function run(surveyId: string, questionId: string) {
    const ctx = (await loadSurveyContext(t.db, manager.viewer, surveyId))!;
    const familyStarted = Date.now();
    const qf = await questionFamily(t.db, ctx, questionId);
    console.log(`family of ${questionId}: built in ${Date.now() - familyStarted} ms; ${hiddenShare(qf)}`);
    const months = (await surveyPeriods(t.db, surveyId)).months;
    const structure = structureOf(ctx, qf, months);
    if (process.env.ATTACK_VERBOSE) console.log(`run: context and family ready for ${questionId}`);
    const started = Date.now();
    const { seen, refused, calls } = await collect(t.db, ctx, manager.viewer, token, structure, questionId);
    const collected = Date.now();
    if (seen.conflicts.length) console.log(`${seen.conflicts.length} conflicts, e.g.`, seen.conflicts.slice(0, 5));
    expect(seen.conflicts.slice(0, 5)).toEqual([]);
    // Every box of the shown periods was published (or hidden) by some view: the views are the family.
    const shown = new Set([...seen.seen.keys()].map((k) => k.split("|").slice(0, 2).join("|")));
    for (const k of seen.seen.keys()) expect(shown.has(k.split("|").slice(0, 2).join("|"))).toBe(true);
    const result = await attack(structure, seen, truthOf(qf));
    console.log(`collecting ${collected - started} ms, solving ${Date.now() - collected} ms`);
    for (const v of result.violations) console.log(JSON.stringify({ ...v, community: ctx.communities.find((c) => v.box.includes(c.id))?.name }));
    return { ctx, qf, structure, seen, refused, calls, result };
  }

  for (const seed of [11, 23]) {
    it(`finds no hidden small group it can narrow down, on random programme ${seed}`, async () => {
      const surveyId = await randomProgramme(t.db, seed, manager.viewer);
      if (process.env.ATTACK_VERBOSE) console.log(`programme ${seed} loaded`);
      const violations = [];
      for (const q of QUESTIONS) {
        const { result, refused, calls, seen } = await run(surveyId, q);
        console.log(`seed ${seed} ${q}: ${calls} API views (${refused} refused), ${seen.seen.size} boxes seen, ${result.hidden} hidden, ${result.checked} small ones attacked`);
        expect(refused).toBeGreaterThan(0); // two group dimensions at once are refused
        expect(result.checked).toBeGreaterThan(0);
        violations.push(...result.violations);
      }
      expect(violations.slice(0, 5)).toEqual([]);
    }, 300_000);
  }

  it("breaks suppression that hides small groups without partners, the one-person community among them", async () => {
    const surveyId = await randomProgramme(t.db, 5, manager.viewer);
    const ctx = (await loadSurveyContext(t.db, manager.viewer, surveyId))!;
    const qf = await loadQuestionFamily(t.db, ctx, "safe_after_dark", primaryOnly);
    const structure = structureOf(ctx, qf, (await surveyPeriods(t.db, surveyId)).months);
    const { violations } = await attack(structure, everythingShown(structure, qf, qf.family.periods), truthOf(qf));
    expect(violations.length).toBeGreaterThan(0);
    // The community of one whose answer was "don't know": all communities minus the others gives it.
    const lone = ctx.communities.find((c) => c.name.startsWith("Lone"))!.id;
    expect(violations.some((v) => v.box.includes(`|${lone}|`) && v.figure === "respondents")).toBe(true);
    // And the small groups of a split: women, men and "other" add up to everyone.
    expect(violations.some((v) => v.box.includes("|gender|other"))).toBe(true);
  }, 300_000);

  it("finds no hidden small group it can narrow down in the demo", async () => {
    const demo = await loadDemo(t.db);
    const viewer = { ...manager.viewer };
    await setMembership(t.db, { programmeId: demo.programmeId, userId: manager.id, role: "manager" });
    const { result, calls } = await run(demo.surveyId, "safe_after_dark");
    console.log(`demo safe_after_dark: ${calls} API views, ${result.hidden} hidden boxes, ${result.checked} small ones attacked`);
    expect(result.violations.slice(0, 5)).toEqual([]);
    expect(viewer.id).toBe(manager.id);
  }, 600_000);
});
