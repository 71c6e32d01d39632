// Intervals for clustered samples: respondents come in communities (or focus-group sessions), and
// people of one community answer alike, so a simple-random-sample interval is too narrow. Shares and
// means are ratio estimators Σy/Σn over clusters; their linearisation (cluster-robust) variance needs
// only each cluster's n and Σy. Pure functions; the dashboard hands in the clusters' sums.
import { normalQuantile, studentTQuantile, wilson } from "./statistics";

/** The sums of one cluster: respondents counted, Σ score (a share's score is 0/1). */
export interface ClusterSums {
  n: number;
  sum: number;
}

export interface ClusteredEstimate {
  /** Σy / Σn, or null with nobody. */
  value: number | null;
  n: number;
  /** Clusters with at least one respondent. */
  clusters: number;
  /** Linearisation variance of the estimate (null with fewer than two clusters). */
  variance: number | null;
  /** Variance under a simple random sample of the same n (s²/n). */
  srsVariance: number | null;
  /** Measured design effect variance / srsVariance (null when either is missing or zero). */
  deff: number | null;
  /** n / max(1, deff): what the interval stands on. */
  effectiveN: number | null;
  /** Degrees of freedom of the interval: clusters − 1. */
  df: number | null;
  low: number | null;
  high: number | null;
  /** Why there is no interval although there is a value. */
  noInterval: "one cluster" | null;
}

function requireClusters(clusters: ClusterSums[]): void {
  for (const [i, c] of clusters.entries()) {
    if (!Number.isFinite(c.n) || c.n < 0) throw new RangeError(`clusters[${i}].n must be a finite number ≥ 0, got ${c.n}`);
    if (!Number.isFinite(c.sum)) throw new RangeError(`clusters[${i}].sum must be a finite number, got ${c.sum}`);
  }
}

/**
 * Linearisation variance of the ratio R = Σy/Σn over C sampled clusters, with replacement (or with
 * a finite population correction when the number of clusters in the population is given):
 * v(R) = (1 − f) · C/(C−1) · Σ_c (y_c − R·n_c)² / (Σn)²  (Lohr, Sampling: Design and Analysis, 2nd
 * ed., §5.3 eq. 5.18 and §4.1; what R's survey::svymean computes for a one-stage cluster design).
 */
export function ratioVariance(clusters: ClusterSums[], populationClusters?: number): { value: number; variance: number; clusters: number } | null {
  requireClusters(clusters);
  const used = clusters.filter((c) => c.n > 0);
  const n = used.reduce((s, c) => s + c.n, 0);
  if (n === 0) return null;
  const y = used.reduce((s, c) => s + c.sum, 0);
  const r = y / n;
  const C = used.length;
  if (C < 2) return { value: r, variance: NaN, clusters: C };
  const fpc = populationClusters === undefined ? 1 : 1 - C / populationClusters;
  if (!(fpc >= 0)) throw new RangeError(`populationClusters must be ≥ the clusters sampled (${C}), got ${populationClusters}`);
  let ss = 0;
  for (const c of used) ss += (c.sum - r * c.n) ** 2;
  return { value: r, variance: (fpc * (C / (C - 1)) * ss) / (n * n), clusters: C };
}

const quantile = (df: number | null, confidence: number) => {
  const p = 1 - (1 - confidence) / 2;
  return df === null || !Number.isFinite(df) ? normalQuantile(p) : studentTQuantile(p, df);
};

function empty(n: number, clusters: number, value: number | null): ClusteredEstimate {
  return { value, n, clusters, variance: null, srsVariance: null, deff: null, effectiveN: null, df: null, low: null, high: null, noInterval: value === null ? null : "one cluster" };
}

/**
 * A share over clusters: value Σyes/Σn, linearisation variance, design effect against the simple
 * random sample variance s²/n (s² = n·p(1−p)/(n−1), the 0/1 answers' sample variance), a Wilson interval on
 * the effective sample size with the t quantile on clusters − 1 degrees of freedom (Korn & Graubard
 * 1998's recipe for survey proportions, with Wilson's score form in place of Clopper–Pearson). The
 * design effect used is never below 1: with a handful of clusters a measured deff under 1 is mostly
 * noise, and an interval narrower than the simple-random one would claim more than the data hold.
 */
export function clusteredShare(clusters: ClusterSums[], confidence = 0.95): ClusteredEstimate {
  const v = ratioVariance(clusters);
  const n = clusters.reduce((s, c) => s + Math.max(0, c.n), 0);
  if (!v) return empty(0, 0, null);
  if (v.clusters < 2) return empty(n, v.clusters, v.value);
  const p = v.value;
  const srs = n > 1 ? (n * p * (1 - p)) / (n - 1) / n : null;
  const deff = srs && srs > 0 ? v.variance / srs : null;
  const used = Math.max(1, deff ?? 1);
  const effectiveN = n / used;
  const df = v.clusters - 1;
  const w = wilson(p * effectiveN, effectiveN, quantile(df, confidence));
  return { value: p, n, clusters: v.clusters, variance: Math.max(v.variance, srs ?? 0), srsVariance: srs, deff, effectiveN, df, low: w.low, high: w.high, noInterval: null };
}

/**
 * A mean over clusters (Σ score / Σ n): linearisation variance, design effect against s²/n from the
 * sum of squares, and mean ± t_{C−1}·se with the variance never below the simple-random one.
 */
export function clusteredMean(clusters: ClusterSums[], sumSquares: number, confidence = 0.95): ClusteredEstimate {
  const v = ratioVariance(clusters);
  const n = clusters.reduce((s, c) => s + Math.max(0, c.n), 0);
  if (!v) return empty(0, 0, null);
  if (v.clusters < 2) return empty(n, v.clusters, v.value);
  const y = v.value * n;
  const s2 = n > 1 ? Math.max(0, (sumSquares - (y * y) / n) / (n - 1)) : null;
  const srs = s2 === null ? null : s2 / n;
  const deff = srs && srs > 0 ? v.variance / srs : null;
  const variance = Math.max(v.variance, srs ?? 0);
  const df = v.clusters - 1;
  const half = quantile(df, confidence) * Math.sqrt(variance);
  return { value: v.value, n, clusters: v.clusters, variance, srsVariance: srs, deff, effectiveN: n / Math.max(1, deff ?? 1), df, low: v.value - half, high: v.value + half, noInterval: null };
}

export interface ClusteredDifference {
  /** later − earlier */
  diff: number | null;
  low: number | null;
  high: number | null;
  df: number | null;
  noInterval: "one cluster" | null;
}

/**
 * Change between two independent rounds: diff ± t·√(v₁ + v₂), with Satterthwaite's degrees of
 * freedom (v₁+v₂)²/(v₁²/df₁ + v₂²/df₂) so that few clusters on either side widen the interval.
 */
export function clusteredDifference(earlier: ClusteredEstimate, later: ClusteredEstimate, confidence = 0.95): ClusteredDifference {
  if (earlier.value === null || later.value === null) return { diff: null, low: null, high: null, df: null, noInterval: null };
  const diff = later.value - earlier.value;
  if (earlier.variance === null || later.variance === null || earlier.df === null || later.df === null) return { diff, low: null, high: null, df: null, noInterval: "one cluster" };
  const v = earlier.variance + later.variance;
  const denom = earlier.variance ** 2 / earlier.df + later.variance ** 2 / later.df;
  const df = denom > 0 ? (v * v) / denom : earlier.df + later.df;
  const half = quantile(df, confidence) * Math.sqrt(v);
  return { diff, low: diff - half, high: diff + half, df, noInterval: null };
}

/** One cluster's sums for each of two groups (domains) of the same round, e.g. its women and its men. */
export interface ClusterPair {
  a: ClusterSums;
  b: ClusterSums;
}

export interface ClusteredGap extends ClusteredDifference {
  /** The linearisation variance before the floor (null with fewer than two clusters). */
  variance: number | null;
}

/**
 * The gap R_a − R_b between two groups of one clustered sample in one period. The groups share the
 * clusters, so they are not independent: the linearisation of the difference of two ratios gives
 * per-cluster scores z_c = (y_ac − R_a·n_ac)/N_a − (y_bc − R_b·n_bc)/N_b and v = C/(C−1)·Σ z_c²
 * (the Taylor-series variance of a contrast of two domain ratios, as R's
 * svycontrast(svyby(~y, ~group, design, svymean), …) computes for a one-stage cluster design).
 * The interval is gap ± t_{C−1}·√max(v, floor), with `floor` the two groups' simple-random
 * variances added: as elsewhere, never narrower than a simple random sample would give.
 */
export function clusteredGap(pairs: ClusterPair[], floor: number, confidence = 0.95): ClusteredGap {
  requireClusters(pairs.map((p) => p.a));
  requireClusters(pairs.map((p) => p.b));
  const used = pairs.filter((p) => p.a.n > 0 || p.b.n > 0);
  const na = used.reduce((s, p) => s + p.a.n, 0);
  const nb = used.reduce((s, p) => s + p.b.n, 0);
  if (na === 0 || nb === 0) return { diff: null, low: null, high: null, df: null, noInterval: null, variance: null };
  const ra = used.reduce((s, p) => s + p.a.sum, 0) / na;
  const rb = used.reduce((s, p) => s + p.b.sum, 0) / nb;
  const diff = ra - rb;
  const C = used.length;
  if (C < 2) return { diff, low: null, high: null, df: null, noInterval: "one cluster", variance: null };
  let ss = 0;
  for (const p of used) ss += ((p.a.sum - ra * p.a.n) / na - (p.b.sum - rb * p.b.n) / nb) ** 2;
  const variance = (C / (C - 1)) * ss;
  const half = quantile(C - 1, confidence) * Math.sqrt(Math.max(variance, floor));
  return { diff, low: diff - half, high: diff + half, df: C - 1, noInterval: null, variance };
}

// ---------------------------------------------------------------------------------------------
// Sample-size planner

export interface PlanInput {
  kind: "share" | "mean";
  /** Baseline share (0–1) or mean. */
  baseline: number;
  /** Target change (target − baseline), non-zero. */
  change: number;
  /** For a mean: the standard deviation of one answer (e.g. the baseline round's). */
  sd?: number;
  /** Design effect to plan with (measured, or assumed); below 1 counts as 1. */
  deff: number;
  /** Communities the round will cover. */
  communities: number;
  alpha?: number;
  power?: number;
}

export interface Plan {
  /** Respondents per round for a simple random sample. */
  srsPerRound: number;
  /** Respondents per round with the design effect. */
  perRound: number;
  /** perRound spread over the communities, rounded up. */
  perCommunity: number;
  deff: number;
}

/**
 * Respondents per round to detect the change at two-sided level alpha with the given power, two
 * independent rounds. Shares: Fleiss, Levin & Paik (Statistical Methods for Rates and Proportions,
 * 3rd ed., eq. 4.14 without continuity correction):
 * n = [z_{1−α/2}·√(2p̄q̄) + z_{1−β}·√(p₁q₁ + p₂q₂)]² / (p₁ − p₂)². Means: n = 2(z_{1−α/2} + z_{1−β})²σ²/δ²
 * (the normal approximation; Cohen's t-based tables give one or two more at small n).
 * Then times the design effect (Kish), and over the communities.
 */
export function planSampleSize(input: PlanInput): Plan {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  if (!(input.change !== 0 && Number.isFinite(input.change))) throw new RangeError("change must be a non-zero number");
  if (!(input.deff > 0 && Number.isFinite(input.deff))) throw new RangeError(`deff must be > 0, got ${input.deff}`);
  if (!(Number.isInteger(input.communities) && input.communities >= 1)) throw new RangeError(`communities must be a whole number ≥ 1, got ${input.communities}`);
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  let raw: number;
  if (input.kind === "share") {
    const p1 = input.baseline;
    const p2 = input.baseline + input.change;
    if (!(p1 > 0 && p1 < 1)) throw new RangeError(`baseline must lie in (0, 1), got ${p1}`);
    if (!(p2 > 0 && p2 < 1)) throw new RangeError(`baseline + change must lie in (0, 1), got ${p2}`);
    const pBar = (p1 + p2) / 2;
    const root = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
    raw = (root * root) / (input.change * input.change);
  } else {
    const sd = input.sd;
    if (!(sd !== undefined && sd > 0 && Number.isFinite(sd))) throw new RangeError(`sd must be > 0 for a mean, got ${sd}`);
    raw = (2 * (za + zb) ** 2 * sd * sd) / (input.change * input.change);
  }
  const deff = Math.max(1, input.deff);
  // Subtract a hair before rounding up so an exact integer is not pushed up by float noise.
  const srsPerRound = Math.ceil(raw - 1e-9);
  const perRound = Math.ceil(raw * deff - 1e-9);
  return { srsPerRound, perRound, perCommunity: Math.ceil(perRound / input.communities - 1e-9), deff };
}

/** The ICC assumed when the design effect cannot be measured (the middle of 0.02–0.1 seen for perception items). */
export const ASSUMED_ICC = 0.05;
