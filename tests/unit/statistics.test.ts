// Checks the indicator statistics against published or hand-computable values, so a number on a
// dashboard can be traced to a source rather than to "the code says so".
import { describe, expect, it } from "vitest";
import {
  designEffect,
  erfc,
  meanWithT,
  newcombe,
  normalCdf,
  normalQuantile,
  requiredSampleSize,
  sampleSizeForMargin,
  studentTCdf,
  studentTQuantile,
  twoProportionTest,
  verdict,
  welchDifference,
  wilson,
} from "../../app/stats/statistics";

/** Σx and Σx² of raw answers, as the database would hand them over. */
function summary(xs: number[]) {
  return { n: xs.length, sum: xs.reduce((s, x) => s + x, 0), sumSquares: xs.reduce((s, x) => s + x * x, 0) };
}

describe("normal distribution", () => {
  // Reference values computed with mpmath at 30 digits (erfc, ncdf) and SciPy's norm.ppf; the
  // familiar ones (Φ(1.96) = 0.9750, Φ⁻¹(0.975) = 1.95996) are in any normal table.
  it.each([
    [0.5, 0.4795001221869535],
    [1, 0.1572992070502851],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.537459794428035e-12],
  ])("erfc(%s) = %s to 12 significant digits", (x, expected) => {
    expect(erfc(x) / expected).toBeCloseTo(1, 12);
    expect(erfc(-x)).toBeCloseTo(2 - expected, 14);
  });

  it.each([
    [0, 0.5],
    [1.96, 0.9750021048517795],
    [-1.6448536269514722, 0.05],
    [3.090232306167813, 0.999],
  ])("Φ(%s) = %s", (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 13);
  });

  it.each([
    [0.975, 1.959963984540054],
    [0.95, 1.6448536269514722],
    [0.8, 0.8416212335729143],
    [0.5, 0],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
  ])("Φ⁻¹(%s) = %s", (p, x) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 10);
  });
});

describe("Student t quantiles", () => {
  // Two-sided 95% critical values t(0.975, df), as printed in every t table (e.g. Lindley & Scott,
  // New Cambridge Statistical Tables, table 10); df = 1 is tan(0.475π) exactly.
  it.each([
    [1, 12.706],
    [2, 4.303],
    [5, 2.571],
    [7, 2.365],
    [10, 2.228],
    [30, 2.042],
    [100, 1.984],
    [100000, 1.96],
    [Infinity, 1.96],
  ])("t(0.975, df=%s) = %s", (df, t) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it("matches the closed form for df = 1 (Cauchy) to 10 digits", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(Math.PI * 0.475), 10);
    expect(studentTQuantile(0.025, 1)).toBeCloseTo(-Math.tan(Math.PI * 0.475), 10);
  });

  it("matches the closed form for df = 2: t = (2p − 1)·√(2 / (4p(1 − p)))", () => {
    for (const p of [0.6, 0.9, 0.975, 0.995]) {
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 10);
    }
  });

  it("is the inverse of the CDF, including fractional (Welch) degrees of freedom", () => {
    for (const df of [1, 2.5, 3.53, 12, 250]) {
      for (const p of [0.01, 0.3, 0.9, 0.995]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
      }
    }
  });
});

describe("wilson", () => {
  // 95% Wilson score intervals. 81/263, 15/148, 0/20, 1/29: Newcombe RG (1998) "Two-sided
  // confidence intervals for the single proportion", Statistics in Medicine 17:857–872, table I,
  // method 3. 0/10, 5/10, 10/10, 500/1000: the values quoted in the brief, cross-checked against
  // SciPy 1.17 binomtest(...).proportion_ci(method="wilson"); 500/1000 also by hand:
  // half-width 1.96·√(0.00025 + 3.8416/4e6)/1.0038416 = 0.03093 around 0.5.
  it.each([
    [81, 263, 81 / 263, 0.2553, 0.3662],
    [15, 148, 15 / 148, 0.0624, 0.1605],
    [0, 20, 0, 0, 0.1611],
    [1, 29, 1 / 29, 0.0061, 0.1718],
    [0, 10, 0, 0, 0.2775],
    [5, 10, 0.5, 0.2366, 0.7634],
    [10, 10, 1, 0.7225, 1],
    [500, 1000, 0.5, 0.4691, 0.5309],
  ])("%s/%s → p %s, [%s, %s]", (x, n, p, low, high) => {
    const w = wilson(x, n);
    expect(w.p).toBeCloseTo(p, 10);
    expect(w.low).toBeCloseTo(low, 4);
    expect(w.high).toBeCloseTo(high, 4);
  });

  it("returns nulls when nobody answered", () => {
    expect(wilson(0, 0)).toEqual({ p: null, low: null, high: null });
  });

  it("stays inside [0, 1] and narrows with a smaller z", () => {
    const w95 = wilson(1, 3);
    const w80 = wilson(1, 3, 1.2816);
    expect(w95.low!).toBeGreaterThanOrEqual(0);
    expect(w95.high!).toBeLessThanOrEqual(1);
    expect(w80.high! - w80.low!).toBeLessThan(w95.high! - w95.low!);
  });

  it("rejects impossible counts", () => {
    expect(() => wilson(11, 10)).toThrow(RangeError);
    expect(() => wilson(-1, 10)).toThrow(RangeError);
    expect(() => wilson(1, 10, 0)).toThrow(RangeError);
  });
});

describe("newcombe (method 10, diff = p2 − p1)", () => {
  // Newcombe RG (1998) "Interval estimation for the difference between independent proportions:
  // comparison of eleven methods", Statistics in Medicine 17:873–890, table II, method 10. The paper
  // reports p1 − p2 for its examples (a)–(h); here the arguments are swapped to get the same sign.
  // Example (c) 6/7 − 2/7 is left out: I could not confirm its printed limits from memory.
  it.each([
    ["(a) 56/70 − 48/80", [48, 80, 56, 70], 0.2, 0.0524, 0.3339],
    ["(b) 9/10 − 3/10", [3, 10, 9, 10], 0.6, 0.1705, 0.809],
    ["(d) 5/56 − 0/29", [0, 29, 5, 56], 0.0893, -0.0381, 0.1926],
    ["(e) 0/10 − 0/20", [0, 20, 0, 10], 0, -0.1611, 0.2775],
    ["(f) 0/10 − 0/10", [0, 10, 0, 10], 0, -0.2775, 0.2775],
    ["(g) 10/10 − 0/20", [0, 20, 10, 10], 1, 0.6791, 1],
    ["(h) 10/10 − 0/10", [0, 10, 10, 10], 1, 0.6075, 1],
  ] as const)("%s → %s [%s, %s]", (_label, [x1, n1, x2, n2], diff, low, high) => {
    const r = newcombe(x1, n1, x2, n2);
    expect(r.diff).toBeCloseTo(diff, 4);
    expect(r.low).toBeCloseTo(low, 4);
    expect(r.high).toBeCloseTo(high, 4);
  });

  it("is antisymmetric: swapping the rounds negates the interval", () => {
    const forward = newcombe(48, 80, 56, 70);
    const back = newcombe(56, 70, 48, 80);
    expect(back.diff).toBeCloseTo(-forward.diff!, 12);
    expect(back.low).toBeCloseTo(-forward.high!, 12);
    expect(back.high).toBeCloseTo(-forward.low!, 12);
  });

  it("returns nulls when a round has no respondents", () => {
    expect(newcombe(0, 0, 5, 10)).toEqual({ diff: null, low: null, high: null });
  });
});

describe("twoProportionTest (pooled, two-sided, diff = p2 − p1)", () => {
  it("60/100 then 45/100: worked by hand", () => {
    // p1 = 0.60, p2 = 0.45, pooled = 105/200 = 0.525;
    // SE = √(0.525 · 0.475 · (1/100 + 1/100)) = √0.0049875 = 0.070622;
    // z = (0.45 − 0.60) / 0.070622 = −2.1240; p = 2·(1 − Φ(2.1240)) = 2 · 0.016836 = 0.0337.
    const r = twoProportionTest(60, 100, 45, 100);
    expect(r.diff).toBeCloseTo(-0.15, 12);
    expect(r.z).toBeCloseTo(-2.124, 3);
    expect(r.pValue).toBeCloseTo(0.0337, 4);
  });

  it("equal shares give z = 0 and p = 1", () => {
    expect(twoProportionTest(30, 60, 50, 100)).toEqual({ diff: 0, z: 0, pValue: 1 });
  });

  it("identical unanimous rounds (pooled SE = 0) are no evidence of change", () => {
    expect(twoProportionTest(10, 10, 20, 20)).toEqual({ diff: 0, z: 0, pValue: 1 });
  });

  it("keeps tiny p-values instead of rounding them to zero", () => {
    const r = twoProportionTest(100, 1000, 400, 1000);
    expect(r.z!).toBeGreaterThan(15);
    expect(r.pValue!).toBeGreaterThan(0);
    expect(r.pValue!).toBeLessThan(1e-50);
  });

  it("returns nulls when a round is empty", () => {
    expect(twoProportionTest(0, 0, 1, 2)).toEqual({ diff: null, z: null, pValue: null });
  });
});

describe("meanWithT", () => {
  it("the textbook dataset 2, 4, 4, 4, 5, 5, 7, 9", () => {
    // mean 5; Σ(x − 5)² = 32, s = √(32/7) = 2.13809; t(0.975, 7) = 2.36462;
    // half-width = 2.36462 · 2.13809 / √8 = 1.78749 → [3.21251, 6.78749].
    const s = summary([2, 4, 4, 4, 5, 5, 7, 9]);
    const r = meanWithT(s.n, s.sum, s.sumSquares);
    expect(r.mean).toBe(5);
    expect(r.sd).toBeCloseTo(2.13809, 5);
    expect(r.low).toBeCloseTo(3.21251, 5);
    expect(r.high).toBeCloseTo(6.78749, 5);
  });

  it("two answers 1 and 5: t(0.975, 1) makes the interval very wide, honestly", () => {
    // mean 3, s = √8 = 2.82843, half = 12.7062 · 2.82843 / √2 = 25.4124.
    const r = meanWithT(2, 6, 26);
    expect(r.low).toBeCloseTo(3 - 25.4124, 3);
    expect(r.high).toBeCloseTo(3 + 25.4124, 3);
  });

  it("a 90% interval is narrower than a 95% one", () => {
    const s = summary([3, 4, 4, 5, 2, 3, 4]);
    const r90 = meanWithT(s.n, s.sum, s.sumSquares, 0.9);
    const r95 = meanWithT(s.n, s.sum, s.sumSquares);
    expect(r90.high! - r90.low!).toBeLessThan(r95.high! - r95.low!);
  });

  it.each([
    [0, 0, 0, { mean: null, sd: null, low: null, high: null }],
    [1, 4, 16, { mean: 4, sd: null, low: null, high: null }],
  ])("n = %s has no interval", (n, sum, sumSquares, expected) => {
    expect(meanWithT(n, sum, sumSquares)).toEqual(expected);
  });

  it("identical answers give sd 0 despite rounding in Σx²", () => {
    const s = summary(Array.from({ length: 1000 }, () => 4.1));
    const r = meanWithT(s.n, s.sum, s.sumSquares);
    expect(r.sd).toBeCloseTo(0, 5);
    expect(Number.isNaN(r.low)).toBe(false);
  });
});

describe("welchDifference (mean2 − mean1)", () => {
  it("1..5 then 4, 6, 8: worked by hand, cross-checked with SciPy ttest_ind(equal_var=False)", () => {
    // v1 = 2.5/5 = 0.5, v2 = 4/3; SE = √(11/6) = 1.354006;
    // df = (11/6)² / (0.5²/4 + (4/3)²/2) = 3.361111 / 0.951389 = 3.532847;
    // t(0.975, 3.5328) = 2.927405 → 3 ± 3.963726 = [−0.963726, 6.963726].
    const r = welchDifference(summary([1, 2, 3, 4, 5]), summary([4, 6, 8]));
    expect(r.diff).toBeCloseTo(3, 12);
    expect(r.df).toBeCloseTo(3.532847, 6);
    expect(r.low).toBeCloseTo(-0.963726, 5);
    expect(r.high).toBeCloseTo(6.963726, 5);
  });

  it("equal variances and sizes give df = 2(n − 1)", () => {
    const r = welchDifference(summary([1, 2, 3]), summary([2, 3, 4]));
    expect(r.df).toBeCloseTo(4, 10);
    expect(r.diff).toBeCloseTo(1, 12);
  });

  it("zero spread in both rounds: the difference is exact", () => {
    expect(welchDifference(summary([3, 3, 3]), summary([4, 4]))).toEqual({ diff: 1, low: 1, high: 1, df: null });
  });

  it("a group of one gives no interval", () => {
    expect(welchDifference(summary([3]), summary([4, 5]))).toEqual({ diff: null, low: null, high: null, df: null });
  });
});

describe("verdict", () => {
  it.each([
    [0.02, 0.1, "higher_is_better", "clear improvement"],
    [0.02, 0.1, "lower_is_better", "clear decline"],
    [-0.1, -0.02, "higher_is_better", "clear decline"],
    [-0.1, -0.02, "lower_is_better", "clear improvement"],
    [-0.05, 0.1, "higher_is_better", "no clear change"],
    [0, 0.1, "higher_is_better", "no clear change"],
    [-0.1, 0, "lower_is_better", "no clear change"],
    [null, null, "higher_is_better", "no clear change"],
  ] as const)("[%s, %s] with %s → %s", (low, high, direction, expected) => {
    expect(verdict(low, high, direction)).toBe(expected);
  });

  it("reads Newcombe's example (a) as a clear change", () => {
    const r = newcombe(48, 80, 56, 70);
    expect(verdict(r.low, r.high, "higher_is_better")).toBe("clear improvement");
  });
});

describe("planning helpers", () => {
  it("50% → 60% with 80% power at α = 0.05 needs 388 per round (field notes; by hand below)", () => {
    // p̄ = 0.55: 1.959964·√(2·0.55·0.45) = 1.378952; 0.841621·√(0.25 + 0.24) = 0.589135;
    // (1.968087)² / 0.01 = 387.34 → 388.
    expect(requiredSampleSize(0.5, 0.6)).toBe(388);
    expect(requiredSampleSize(0.6, 0.5)).toBe(388);
  });

  it("more power or a stricter α needs more respondents", () => {
    expect(requiredSampleSize(0.5, 0.6, 0.05, 0.9)).toBeGreaterThan(388);
    expect(requiredSampleSize(0.5, 0.6, 0.01)).toBeGreaterThan(388);
  });

  it("±5 points at 95% needs 385 (1.96² · 0.25 / 0.05² = 384.1)", () => {
    expect(sampleSizeForMargin(0.05)).toBe(385);
  });

  it.each([
    [1, 0.3, 1],
    [10, 0, 1],
    [10, 0.05, 1.45],
    [8, 0.2, 2.4],
  ])("design effect for clusters of %s with ICC %s is %s", (m, icc, deff) => {
    expect(designEffect(m, icc)).toBeCloseTo(deff, 12);
  });

  it("rejects meaningless planning inputs", () => {
    expect(() => designEffect(0, 0.1)).toThrow(RangeError);
    expect(() => designEffect(5, 1.5)).toThrow(RangeError);
    expect(() => requiredSampleSize(0.5, 0.5)).toThrow(RangeError);
  });
});
