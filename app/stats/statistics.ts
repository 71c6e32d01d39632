// Interval estimates and tests behind the safety-perception indicators: Wilson intervals for shares,
// Newcombe intervals and z-tests for change between rounds, t intervals for means, planning helpers.
// Pure functions, no dependencies: every number a dashboard shows must be reproducible by hand.

export type Direction = "higher_is_better" | "lower_is_better";
export type Verdict = "clear improvement" | "no clear change" | "clear decline";

export interface ProportionInterval {
  p: number | null;
  low: number | null;
  high: number | null;
}

export interface TwoProportionTest {
  /** p2 − p1 (later minus earlier). */
  diff: number | null;
  z: number | null;
  pValue: number | null;
}

export interface DifferenceInterval {
  /** Second minus first (later minus earlier). */
  diff: number | null;
  low: number | null;
  high: number | null;
}

export interface MeanInterval {
  mean: number | null;
  sd: number | null;
  low: number | null;
  high: number | null;
}

/** Sufficient statistics of one group, so raw answers never have to leave the database. */
export interface MeanSummary {
  n: number;
  sum: number;
  sumSquares: number;
}

export interface WelchInterval extends DifferenceInterval {
  /** Welch–Satterthwaite degrees of freedom; null when both groups have zero spread. */
  df: number | null;
}

// ---------------------------------------------------------------------------------------------
// Argument checks: a silently wrong number on a dashboard is worse than a loud error in a log.

function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

// Counts may be non-integer (weighted counts), but never negative or above their base.
function requireCounts(successes: number, n: number): void {
  requireFinite("successes", successes);
  requireFinite("n", n);
  if (n < 0) throw new RangeError(`n must be ≥ 0, got ${n}`);
  if (successes < 0 || successes > n) throw new RangeError(`successes must lie in [0, n], got ${successes} of ${n}`);
}

function requireZ(z: number): void {
  requireFinite("z", z);
  if (z <= 0) throw new RangeError(`z must be > 0, got ${z}`);
}

function requireProbability(name: string, p: number, open = true): void {
  requireFinite(name, p);
  const ok = open ? p > 0 && p < 1 : p >= 0 && p <= 1;
  if (!ok) throw new RangeError(`${name} must lie in ${open ? "(0, 1)" : "[0, 1]"}, got ${p}`);
}

// ---------------------------------------------------------------------------------------------
// Special functions. Accuracy target is ~1e-13 relative or better: tests compare with tables to
// four decimals, but quantiles are found by root-finding on these, so errors must not compound.

const SQRT_PI = Math.sqrt(Math.PI);
const TINY = 1e-300;

/**
 * Complementary error function. For x < 2.5 uses the all-positive series
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (no cancellation inside the sum); beyond,
 * the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) (modified Lentz),
 * which keeps full relative precision far into the tail where 1 − erf(x) would round to zero.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    const twoXSquared = 2 * x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 500; n++) {
      term *= twoXSquared / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0; // e^(−729) underflows double precision
  // Modified Lentz for g = x + a1/(x + a2/(x + …)), a_k = k/2.
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = x + a * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = x + a / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Standard normal cumulative distribution function Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Upper tail 1 − Φ(x), computed without the cancellation of 1 − normalCdf(x). */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/**
 * Inverse of Φ. Acklam's rational approximation (relative error < 1.2e-9) polished by one Halley
 * step against the accurate CDF above, which brings it to near machine precision.
 */
export function normalQuantile(p: number): number {
  requireProbability("p", p);
  if (p > 0.5) return -normalQuantile(1 - p);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, n = 9; ~1e-15 relative). */
export function lnGamma(x: number): number {
  requireFinite("x", x);
  if (x <= 0) throw new RangeError(`lnGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x); // reflection
  const g = 7;
  const coef = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const xm1 = x - 1;
  let sum = coef[0];
  for (let i = 1; i < coef.length; i++) sum += coef[i] / (xm1 + i);
  const t = xm1 + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (xm1 + 0.5) * Math.log(t) - t + Math.log(sum);
}

// Continued fraction for the incomplete beta (Numerical Recipes' betacf, modified Lentz).
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) return h;
  }
  throw new Error(`incomplete beta did not converge (a=${a}, b=${b}, x=${x})`);
}

/**
 * Regularized incomplete beta I_x(a, b). `y` is 1 − x supplied separately by callers that can
 * compute it without cancellation (the t distribution can), so tails keep their precision.
 */
export function regularizedBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`regularizedBeta needs a, b > 0, got ${a}, ${b}`);
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnFront = a * Math.log(x) + b * Math.log(y) - (lnGamma(a) + lnGamma(b) - lnGamma(a + b));
  // The fraction converges fast on this side of the mean; use the symmetry I_x(a,b) = 1 − I_y(b,a) otherwise.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, y)) / b;
}

function requireDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
}

/** P(T > t) for Student's t with df degrees of freedom (df may be fractional, as Welch's is). */
export function studentTUpperTail(t: number, df: number): number {
  requireDf(df);
  if (df === Infinity) return normalUpperTail(t);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); both x and 1 − x are formed without subtraction.
  const twoSided = regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/** Student's t cumulative distribution function. */
export function studentTCdf(t: number, df: number): number {
  return studentTUpperTail(-t, df);
}

/**
 * Inverse Student t CDF: bracket by doubling, then bisect on the upper tail until the bracket is
 * as narrow as doubles allow. Bisection is slower than Newton but cannot diverge, and df = 1
 * (a Cauchy distribution, extremely heavy tails) is a real case for two-respondent groups.
 */
export function studentTQuantile(p: number, df: number): number {
  requireProbability("p", p);
  requireDf(df);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const tail = 1 - p;
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p));
  while (studentTUpperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  for (let i = 0; i < 2000; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (studentTUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

// ---------------------------------------------------------------------------------------------
// Proportions

/**
 * Wilson score interval for successes/n (Wilson 1927). Chosen over the textbook Wald interval
 * because it stays inside [0, 1] and keeps near-nominal coverage at small n and near 0% or 100%,
 * which is exactly where small communities' results sit. n = 0 → all null (nothing to estimate).
 */
export function wilson(successes: number, n: number, z = 1.96): ProportionInterval {
  requireCounts(successes, n);
  requireZ(z);
  if (n === 0) return { p: null, low: null, high: null };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Clamp only rounding noise: at p = 0 or 1 the bound is exactly 0 or 1 algebraically.
  return { p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Two-sided two-proportion z-test with the pooled standard error (the null hypothesis is p1 = p2,
 * so the pooled share is the right estimate of the common variance under it).
 * diff = p2 − p1 (later minus earlier), z has the same sign. If every respondent in both rounds gave
 * the same answer the pooled SE is 0 and the shares are equal: z = 0, p = 1 (no evidence of change).
 */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionTest {
  requireCounts(x1, n1);
  requireCounts(x2, n2);
  if (n1 === 0 || n2 === 0) return { diff: null, z: null, pValue: null };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const diff = p2 - p1;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { diff, z: 0, pValue: 1 };
  const z = diff / se;
  // erfc(|z|/√2) = 2·(1 − Φ(|z|)) without cancellation, so tiny p-values stay meaningful.
  return { diff, z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/**
 * Newcombe's hybrid score interval for a difference of independent proportions (Newcombe 1998,
 * Statistics in Medicine 17:873–890, method 10), built from the two Wilson intervals.
 * DIRECTION: diff = p2 − p1, i.e. second (later) minus first (earlier); the paper reports p1 − p2,
 * so its example 56/70 vs 48/80 is newcombe(48, 80, 56, 70) here.
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = 1.96): DifferenceInterval {
  requireCounts(x1, n1);
  requireCounts(x2, n2);
  requireZ(z);
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  if (w1.p === null || w2.p === null) return { diff: null, low: null, high: null };
  const [p1, l1, u1] = [w1.p, w1.low!, w1.high!];
  const [p2, l2, u2] = [w2.p, w2.low!, w2.high!];
  const diff = p2 - p1;
  const low = diff - Math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2);
  const high = diff + Math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2);
  return { diff, low: Math.max(-1, low), high: Math.min(1, high) };
}

// ---------------------------------------------------------------------------------------------
// Means (e.g. of a 1–5 "how safe do you feel" item; show the full distribution beside any mean)

function summaryVariance(n: number, sum: number, sumSquares: number): number {
  // Rounding in sumSquares − sum²/n can dip just below zero when all answers are equal.
  return Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
}

function requireSummary(name: string, s: MeanSummary): void {
  requireFinite(`${name}.n`, s.n);
  requireFinite(`${name}.sum`, s.sum);
  requireFinite(`${name}.sumSquares`, s.sumSquares);
  if (s.n < 0 || !Number.isInteger(s.n)) throw new RangeError(`${name}.n must be a whole number ≥ 0, got ${s.n}`);
  if (s.sumSquares < 0) throw new RangeError(`${name}.sumSquares must be ≥ 0, got ${s.sumSquares}`);
}

function requireConfidence(confidence: number): void {
  requireProbability("confidence", confidence);
}

/**
 * Mean with a Student t confidence interval from sufficient statistics (n, Σx, Σx²).
 * sd is the sample standard deviation (divisor n − 1). n = 0 → everything null; n = 1 → the mean
 * only (one answer has no spread to estimate, so no honest interval exists).
 */
export function meanWithT(n: number, sum: number, sumSquares: number, confidence = 0.95): MeanInterval {
  requireSummary("summary", { n, sum, sumSquares });
  requireConfidence(confidence);
  if (n === 0) return { mean: null, sd: null, low: null, high: null };
  const mean = sum / n;
  if (n < 2) return { mean, sd: null, low: null, high: null };
  const sd = Math.sqrt(summaryVariance(n, sum, sumSquares));
  const t = studentTQuantile(1 - (1 - confidence) / 2, n - 1);
  const half = (t * sd) / Math.sqrt(n);
  return { mean, sd, low: mean - half, high: mean + half };
}

/**
 * Welch t interval for mean(b) − mean(a) (second/later minus first/earlier), which does not assume
 * equal variances in the two rounds. Needs n ≥ 2 in both groups, otherwise all null. If both
 * groups have zero spread the difference is known exactly: a zero-width interval and df = null.
 */
export function welchDifference(a: MeanSummary, b: MeanSummary, confidence = 0.95): WelchInterval {
  requireSummary("a", a);
  requireSummary("b", b);
  requireConfidence(confidence);
  if (a.n < 2 || b.n < 2) return { diff: null, low: null, high: null, df: null };
  const diff = b.sum / b.n - a.sum / a.n;
  const va = summaryVariance(a.n, a.sum, a.sumSquares) / a.n;
  const vb = summaryVariance(b.n, b.sum, b.sumSquares) / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { diff, low: diff, high: diff, df: null };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * se;
  return { diff, low: diff - half, high: diff + half, df };
}

// ---------------------------------------------------------------------------------------------
// Wording

/**
 * Plain-language reading of an interval for (later − earlier). An interval that touches or crosses
 * zero is "no clear change"; so is a missing interval, because no data is not evidence of change.
 */
export function verdict(low: number | null, high: number | null, direction: Direction): Verdict {
  if (low === null || high === null || Number.isNaN(low) || Number.isNaN(high)) return "no clear change";
  if (low > high) throw new RangeError(`interval is reversed: low ${low} > high ${high}`);
  if (low <= 0 && high >= 0) return "no clear change";
  const up = low > 0;
  const better = direction === "higher_is_better" ? up : !up;
  return better ? "clear improvement" : "clear decline";
}

// ---------------------------------------------------------------------------------------------
// Planning helpers for method notes

/**
 * Design effect of cluster sampling (Kish): 1 + (m − 1)·ICC for clusters of average size m, e.g.
 * focus groups. Divide a sample size by it to get the effective sample size.
 */
export function designEffect(m: number, icc: number): number {
  requireFinite("m", m);
  requireFinite("icc", icc);
  if (m < 1) throw new RangeError(`cluster size m must be ≥ 1, got ${m}`);
  if (icc < 0 || icc > 1) throw new RangeError(`icc must lie in [0, 1], got ${icc}`);
  return 1 + (m - 1) * icc;
}

/**
 * Respondents needed PER ROUND to detect a change from p1 to p2 with a two-sided test at level
 * alpha and the given power (normal approximation, no continuity correction; Fleiss, Levin & Paik,
 * Statistical Methods for Rates and Proportions, 3rd ed., eq. 4.14 without the correction):
 * n = [z_{1−α/2}·√(2·p̄q̄) + z_{power}·√(p1q1 + p2q2)]² / (p1 − p2)². Rounded up.
 * Multiply by designEffect(...) for clustered samples.
 */
export function requiredSampleSize(p1: number, p2: number, alpha = 0.05, power = 0.8): number {
  requireProbability("p1", p1);
  requireProbability("p2", p2);
  requireProbability("alpha", alpha);
  requireProbability("power", power);
  if (p1 === p2) throw new RangeError("p1 and p2 are equal: no sample size can detect a zero difference");
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const pBar = (p1 + p2) / 2;
  const root = zAlpha * Math.sqrt(2 * pBar * (1 - pBar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  // Subtract a hair before rounding up so an exact integer is not pushed up by float noise.
  return Math.ceil((root * root) / ((p1 - p2) * (p1 - p2)) - 1e-9);
}

/**
 * Respondents needed for a ±margin interval on one share (simple random sample):
 * n = z²·p(1 − p)/margin², rounded up; p = 0.5 is the worst case (±5 points at 95% → 385).
 */
export function sampleSizeForMargin(margin: number, p = 0.5, confidence = 0.95): number {
  requireProbability("margin", margin);
  requireProbability("p", p);
  requireConfidence(confidence);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return Math.ceil((z * z * p * (1 - p)) / (margin * margin) - 1e-9);
}
