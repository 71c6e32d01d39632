// Cluster-robust intervals, design effects and the sample-size planner, against published values
// and hand computations anyone can repeat.
import { describe, expect, it } from "vitest";
import { clusteredDifference, clusteredGap, clusteredMean, clusteredShare, planSampleSize, ratioVariance } from "~/stats/clustered";
import { wilson, studentTQuantile } from "~/stats/statistics";

// Lohr, Sampling: Design and Analysis, 2nd ed. (2010), Example 5.2: a student samples 5 of the 100
// four-person suites of a dormitory and records each resident's GPA. Lohr gives ȳ = 2.826 and
// SE(ȳ) = 0.1637 (with the finite population correction 1 − 5/100). R gives the same with
// svymean(~gpa, svydesign(id = ~suite, fpc = ~rep(100, 20), data = gpa)).
const suites = [
  [3.08, 2.6, 3.44, 3.04],
  [2.36, 3.04, 3.28, 2.68],
  [2.0, 2.56, 2.52, 1.88],
  [3.0, 2.88, 3.44, 3.64],
  [2.68, 1.92, 3.28, 3.2],
];
const gpaClusters = suites.map((s) => ({ n: s.length, sum: s.reduce((a, b) => a + b, 0) }));
const gpaSquares = suites.flat().reduce((a, b) => a + b * b, 0);

describe("the linearisation variance of a clustered mean", () => {
  it("reproduces Lohr's Example 5.2 (GPA by suite): ȳ = 2.826, SE 0.1637 with the fpc", () => {
    const v = ratioVariance(gpaClusters, 100)!;
    expect(v.value).toBeCloseTo(2.826, 10);
    expect(Math.sqrt(v.variance)).toBeCloseTo(0.1637, 4);
  });

  it("without the fpc (clusters drawn from a large population, as communities are) the SE is 0.1679", () => {
    // By hand: suite totals 12.16, 11.36, 8.96, 12.96, 11.08; deviations from 2.826·4 squared add to
    // 9.0227; 5/4 · 9.0227 / 20² = 0.028196; √ = 0.16792.
    expect(Math.sqrt(ratioVariance(gpaClusters)!.variance)).toBeCloseTo(0.16792, 5);
  });

  it("gives the design effect against a simple random sample of 20 and the effective n", () => {
    // s² of the 20 GPAs = 0.264804; s²/20 = 0.0132402; 0.028196 / 0.0132402 = 2.1296; 20 / 2.1296 = 9.39.
    const m = clusteredMean(gpaClusters, gpaSquares);
    expect(m.deff).toBeCloseTo(2.1296, 4);
    expect(m.effectiveN).toBeCloseTo(9.3916, 3);
    expect(m.clusters).toBe(5);
    expect(m.df).toBe(4);
    // t(0.975, 4) = 2.776445 (any t table): 2.826 ± 2.7764 · 0.16792.
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5);
    expect(m.low).toBeCloseTo(2.826 - 2.776445 * 0.167917, 4);
    expect(m.high).toBeCloseTo(2.826 + 2.776445 * 0.167917, 4);
  });

  it("says a single cluster has no honest interval, but keeps the value", () => {
    const m = clusteredMean([{ n: 40, sum: 120 }], 400);
    expect(m.value).toBe(3);
    expect(m.low).toBeNull();
    expect(m.noInterval).toBe("one cluster");
    const s = clusteredShare([{ n: 40, sum: 10 }, { n: 0, sum: 0 }]);
    expect(s.value).toBe(0.25);
    expect(s.clusters).toBe(1);
    expect(s.noInterval).toBe("one cluster");
  });

  it("refuses negative counts, naming the cluster", () => {
    expect(() => ratioVariance([{ n: -1, sum: 0 }])).toThrow(/clusters\[0\]\.n/);
  });
});

describe("a clustered share", () => {
  // Four communities of unequal size (30, 50, 20, 40 respondents; 12, 35, 5, 22 feel safe). By hand,
  // as survey::svyciprop's linearisation does: p̂ = 74/140 = 0.528571; residuals y_c − p̂n_c =
  // −3.857, 8.571, −5.571, 0.857; squares add to 122.34; 4/3 · 122.34 / 140² = 0.0081718; SE 0.090397.
  // SRS variance s²/n = p̂(1−p̂)/(n−1) = 0.0017928; deff = 4.558.
  const communities = [
    { n: 30, sum: 12 },
    { n: 50, sum: 35 },
    { n: 20, sum: 5 },
    { n: 40, sum: 22 },
  ];

  it("has the hand-computed SE, design effect and effective n", () => {
    const s = clusteredShare(communities);
    expect(s.value).toBeCloseTo(74 / 140, 12);
    expect(Math.sqrt(s.variance!)).toBeCloseTo(0.090397, 5);
    expect(s.deff).toBeCloseTo(4.5583, 3);
    expect(s.effectiveN).toBeCloseTo(140 / 4.5583, 2);
  });

  it("is a Wilson interval on the effective n with t on clusters − 1, much wider than the simple one", () => {
    const s = clusteredShare(communities);
    const t3 = studentTQuantile(0.975, 3);
    const expected = wilson((74 / 140) * s.effectiveN!, s.effectiveN!, t3);
    expect(s.low).toBeCloseTo(expected.low!, 12);
    expect(s.high).toBeCloseTo(expected.high!, 12);
    const srs = wilson(74, 140);
    expect(s.high! - s.low!).toBeGreaterThan(3 * (srs.high! - srs.low!));
  });

  it("never goes narrower than a simple random sample when communities answer alike by chance", () => {
    // Every community at exactly 50%: the measured deff is 0, the interval uses deff 1.
    const s = clusteredShare([
      { n: 100, sum: 50 },
      { n: 100, sum: 50 },
      { n: 100, sum: 50 },
    ]);
    expect(s.deff).toBe(0);
    expect(s.effectiveN).toBe(300);
  });
});

describe("the change between two rounds", () => {
  it("adds the two variances and uses Satterthwaite's degrees of freedom", () => {
    const before = clusteredShare([
      { n: 100, sum: 40 },
      { n: 100, sum: 55 },
      { n: 100, sum: 45 },
    ]);
    const after = clusteredShare([
      { n: 100, sum: 52 },
      { n: 100, sum: 66 },
      { n: 100, sum: 50 },
    ]);
    const d = clusteredDifference(before, after);
    expect(d.diff).toBeCloseTo(28 / 300, 12);
    const v = before.variance! + after.variance!;
    const df = (v * v) / (before.variance! ** 2 / 2 + after.variance! ** 2 / 2);
    expect(d.df).toBeCloseTo(df, 12);
    expect(d.low).toBeCloseTo(28 / 300 - studentTQuantile(0.975, df) * Math.sqrt(v), 12);
    // 9 points up with three communities per round is not a clear change, although a simple-random
    // z-test on 300 vs 300 would call it one (z ≈ 2.3).
    expect(d.low!).toBeLessThan(0);
  });

  it("has no interval when either round stands on one community", () => {
    const one = clusteredShare([{ n: 80, sum: 40 }]);
    const two = clusteredShare([
      { n: 50, sum: 30 },
      { n: 50, sum: 20 },
    ]);
    expect(clusteredDifference(one, two).noInterval).toBe("one cluster");
  });
});

describe("the sample-size planner", () => {
  it("50% → 60%, 80% power, 5% two-sided: 388 per round (Fleiss, Levin & Paik eq. 4.14; by hand 387.34)", () => {
    const plan = planSampleSize({ kind: "share", baseline: 0.5, change: 0.1, deff: 1, communities: 4 });
    expect(plan.srsPerRound).toBe(388);
    expect(plan.perRound).toBe(388);
    expect(plan.perCommunity).toBe(97);
  });

  it("multiplies by the design effect before rounding (387.34 · 2.5 = 968.3 → 969) and spreads it over communities", () => {
    const plan = planSampleSize({ kind: "share", baseline: 0.5, change: 0.1, deff: 2.5, communities: 10 });
    expect(plan.perRound).toBe(969);
    expect(plan.perCommunity).toBe(97);
  });

  it("a fall is planned like a rise (60% → 50% also needs 388)", () => {
    expect(planSampleSize({ kind: "share", baseline: 0.6, change: -0.1, deff: 1, communities: 1 }).perRound).toBe(388);
  });

  it("a mean: half a standard deviation needs 63 per round (2·(1.96 + 0.8416)²/0.25 = 62.79; Cohen's t table says 64)", () => {
    expect(planSampleSize({ kind: "mean", baseline: 3, change: 0.5, sd: 1, deff: 1, communities: 3 }).perRound).toBe(63);
  });

  it("refuses a zero change, a share outside (0, 1) and a mean without its spread", () => {
    expect(() => planSampleSize({ kind: "share", baseline: 0.5, change: 0, deff: 1, communities: 1 })).toThrow(/change/);
    expect(() => planSampleSize({ kind: "share", baseline: 0.95, change: 0.1, deff: 1, communities: 1 })).toThrow(/baseline \+ change/);
    expect(() => planSampleSize({ kind: "mean", baseline: 3, change: 0.5, deff: 1, communities: 1 })).toThrow(/sd/);
  });
});

// Two groups of one round in three communities, with opposite community effects (women of the first
// community feel safe, its men do not, and the other way round in the second).
//             women (n, safe)   men (n, safe)
//   c1          10, 9             10, 1
//   c2          10, 1             10, 9
//   c3          10, 8             10, 5
// R_women = 18/30 = 0.6, R_men = 15/30 = 0.5, gap 0.1. Scores z_c = (y_ac − 0.6·10)/30 − (y_bc − 0.5·10)/30:
// c1 (3 + 4)/30 = 7/30, c2 (−5 − 4)/30 = −9/30, c3 (2 − 0)/30 = 2/30; Σ z² = 134/900;
// v = 3/2 · 134/900 = 201/900 = 0.22333; the floor 0.6·0.4/29 + 0.5·0.5/29 = 0.49/29 is smaller.
describe("the gap between two groups that share their communities", () => {
  const pairs = [
    { a: { n: 10, sum: 9 }, b: { n: 10, sum: 1 } },
    { a: { n: 10, sum: 1 }, b: { n: 10, sum: 9 } },
    { a: { n: 10, sum: 8 }, b: { n: 10, sum: 5 } },
  ];
  const floor = 0.49 / 29;

  it("uses the linearised difference of the two ratios, computed by hand", () => {
    const g = clusteredGap(pairs, floor);
    expect(g.diff).toBeCloseTo(0.1, 12);
    expect(g.variance).toBeCloseTo(201 / 900, 12);
    expect(g.df).toBe(2);
    // t(0.975, 2) = 4.302653: 0.1 ± 4.302653 · √0.223333 = 0.1 ± 2.03336.
    expect(g.low).toBeCloseTo(0.1 - 4.302653 * Math.sqrt(201 / 900), 5);
    expect(g.high).toBeCloseTo(0.1 + 4.302653 * Math.sqrt(201 / 900), 5);
  });

  it("is never narrower than the two groups as simple random samples", () => {
    // Same community effect for both groups: it cancels in the gap, and the floor takes over.
    const alike = [
      { a: { n: 10, sum: 9 }, b: { n: 10, sum: 8 } },
      { a: { n: 10, sum: 1 }, b: { n: 10, sum: 2 } },
      { a: { n: 10, sum: 5 }, b: { n: 10, sum: 5 } },
    ];
    const g = clusteredGap(alike, 0.25 / 29 + 0.25 / 29);
    expect(g.variance!).toBeLessThan(0.5 / 29);
    expect(g.high! - g.diff!).toBeCloseTo(4.302653 * Math.sqrt(0.5 / 29), 5);
  });

  it("has no honest interval in one community", () => {
    expect(clusteredGap([pairs[0]], floor)).toMatchObject({ diff: 0.8, low: null, high: null, noInterval: "one cluster" });
  });
});
