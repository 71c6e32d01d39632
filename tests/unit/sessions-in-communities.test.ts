// Focus-group sessions inside communities: people of one session answer more alike than people of one
// community. The dashboards cluster by community only, and that is enough: with the communities as the
// first-stage units, the variance of the communities' totals already holds every stage below them
// (the "ultimate cluster" estimator: Kalton, "Ultimate cluster sampling", JRSS A 142 (1979) 210–222;
// Lohr, Sampling: Design and Analysis, 2nd ed., §6.6). This checks it by simulation, with a seeded
// generator so the run is the same every time: the community-clustered 95% interval covers the true
// share about 95% of the time although each session has its own level, while the simple-random-sample
// interval on the same data does not.
import { describe, expect, it } from "vitest";
import { clusteredShare, type ClusterSums } from "~/stats/clustered";
import { wilson } from "~/stats/statistics";

/** mulberry32: a small, well-known seeded generator (uniform in [0, 1)). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMUNITIES = 24;
const SESSIONS_PER_COMMUNITY = 3;
const PEOPLE_PER_SESSION = 12;
const TRUE_SHARE = 0.5;

/**
 * One survey round: each community shifts the chance of "safe" by up to ±0.10 and each of its
 * sessions by up to ±0.25 more (symmetric, so the expected share is exactly 0.5); returns the
 * communities' sums and the sessions' sums.
 */
function round(random: () => number): { communities: ClusterSums[]; sessions: ClusterSums[] } {
  const communities: ClusterSums[] = [];
  const sessions: ClusterSums[] = [];
  for (let c = 0; c < COMMUNITIES; c++) {
    const community = (random() * 2 - 1) * 0.1;
    let n = 0;
    let yes = 0;
    for (let s = 0; s < SESSIONS_PER_COMMUNITY; s++) {
      const p = TRUE_SHARE + community + (random() * 2 - 1) * 0.25;
      let sessionYes = 0;
      for (let i = 0; i < PEOPLE_PER_SESSION; i++) if (random() < p) sessionYes++;
      sessions.push({ n: PEOPLE_PER_SESSION, sum: sessionYes });
      n += PEOPLE_PER_SESSION;
      yes += sessionYes;
    }
    communities.push({ n, sum: yes });
  }
  return { communities, sessions };
}

describe("focus-group sessions inside communities", () => {
  const random = generator(20261201);
  const ROUNDS = 2_000;
  let coveredClustered = 0;
  let coveredSimple = 0;
  let deffSum = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const { communities } = round(random);
    const est = clusteredShare(communities);
    if (est.low! <= TRUE_SHARE && TRUE_SHARE <= est.high!) coveredClustered++;
    const n = communities.reduce((s, c) => s + c.n, 0);
    const yes = communities.reduce((s, c) => s + c.sum, 0);
    const simple = wilson(yes, n);
    if (simple.low! <= TRUE_SHARE && TRUE_SHARE <= simple.high!) coveredSimple++;
    deffSum += est.deff ?? 1;
  }

  it(`clustering by community alone (covered ${coveredClustered} of ${ROUNDS}) gives honest 95% intervals when sessions differ inside communities`, () => {
    expect(coveredClustered / ROUNDS).toBeGreaterThan(0.93);
    expect(coveredClustered / ROUNDS).toBeLessThan(0.975);
  });

  it(`the simple-random-sample interval on the same rounds is too narrow (covered ${coveredSimple} of ${ROUNDS}), and the design effect says by how much (mean ${(deffSum / ROUNDS).toFixed(2)})`, () => {
    expect(coveredSimple / ROUNDS).toBeLessThan(0.85);
    // ICC ≈ (0.1²/3 + 0.25²/3) / 0.25 within a session, 0.1²/3 / 0.25 across a community's sessions:
    // deff ≈ 1 + (12 − 1)·0.097 + (36 − 12)·0.013 ≈ 2.4.
    expect(deffSum / ROUNDS).toBeGreaterThan(1.9);
    expect(deffSum / ROUNDS).toBeLessThan(2.9);
  });
});
