// Synthetic but believable answers for the demo and the benchmarks: seeded (the same seed gives the
// same data), feeling safe improving round by round, women feeling less safe than men, and
// "never walk alone" / "don't know" answers in the proportions field surveys report.

/** mulberry32: a tiny seeded PRNG, good enough for synthetic data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

/** Picks a key with the given weights. */
export function pick<T extends string>(rng: Rng, weights: [T, number][]): T {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = rng() * total;
  for (const [k, w] of weights) {
    x -= w;
    if (x < 0) return k;
  }
  return weights[weights.length - 1][0];
}

const clamp = (p: number) => Math.max(0.02, Math.min(0.97, p));

/** A respondent's profile: who they are and how safe their situation is at this point in time. */
export interface Profile {
  gender: "woman" | "man" | "other";
  age_band: string;
  disability: "1" | "0";
  /** Probability of feeling safe (very safe or safe) after dark. */
  safeDark: number;
  trust: number;
}

/**
 * @param round 0 for the baseline, then 1, 2, …: safety improves about 6 points a round.
 * @param communityEffect added to the probabilities (a harder community is negative).
 */
export function profile(rng: Rng, round: number, communityEffect: number): Profile {
  const gender = pick(rng, [["woman", 50], ["man", 44], ["other", 6]]);
  const age_band = pick(rng, [["18_24", 24], ["25_34", 28], ["35_49", 25], ["50_64", 15], ["65_plus", 8]]);
  const disability = rng() < 0.11 ? "1" : "0";
  const genderGap = gender === "woman" ? -0.16 : gender === "other" ? -0.2 : 0;
  const ageEffect = age_band === "65_plus" ? -0.06 : age_band === "18_24" ? 0.03 : 0;
  return {
    gender,
    age_band,
    disability,
    safeDark: clamp(0.38 + 0.08 * round + genderGap + ageEffect + (disability === "1" ? -0.07 : 0) + communityEffect),
    trust: clamp(0.34 + 0.05 * round + (gender === "woman" ? -0.05 : 0) + communityEffect / 2),
  };
}

/** An SDG 16.1.4-style answer: codes 1–4, 5 (never alone after dark), 99 (don't know). */
export function safetyAnswer(rng: Rng, pSafe: number, pNever = 0.06): string {
  const x = rng();
  if (x < pNever) return "5";
  if (x < pNever + 0.03) return "99";
  if (rng() < pSafe) return rng() < 0.35 ? "1" : "2";
  return rng() < 0.6 ? "3" : "4";
}

/** A trust4 answer: 1 not at all … 4 a lot, 99 don't know. */
export function trustAnswer(rng: Rng, pTrust: number): string {
  if (rng() < 0.05) return "99";
  if (rng() < pTrust) return rng() < 0.6 ? "3" : "4";
  return rng() < 0.5 ? "1" : "2";
}

/** Answers to the SDG 16 core template (survey-templates/sdg16-core.json). */
export function sdg16Answers(rng: Rng, p: Profile): Record<string, string> {
  const report = rng() < clamp(0.5 + p.trust / 3) ? "1" : "0";
  const answers: Record<string, string> = {
    safe_after_dark: safetyAnswer(rng, p.safeDark, p.gender === "woman" ? 0.09 : 0.05),
    safe_daytime: safetyAnswer(rng, clamp(p.safeDark + 0.3), 0.01),
    trust_police: trustAnswer(rng, p.trust),
    trust_courts: trustAnswer(rng, clamp(p.trust - 0.08)),
    would_report_crime: report,
    gender: p.gender,
    age_band: p.age_band,
    disability: p.disability,
  };
  if (report === "1")
    answers.report_to = pick(rng, [["police", 30 + 60 * p.trust], ["community_leader", 25], ["elders_customary", 20], ["religious_leader", 8], ["other", 3]]);
  return answers;
}

const THREATS: [string, number][] = [
  ["theft", 30],
  ["harassment", 22],
  ["domestic_violence", 12],
  ["armed_groups", 10],
  ["resource_disputes", 9],
  ["gangs", 8],
  ["security_abuse", 5],
  ["explosives", 2],
  ["other", 2],
];

/** Answers to the community security template (15 answered questions, a top-3 ranking). */
export function communitySecurityAnswers(rng: Rng, p: Profile): Record<string, string | string[]> {
  const threats: string[] = [];
  while (threats.length < 3) {
    const weights = THREATS.filter(([t]) => !threats.includes(t)).map(([t, w]): [string, number] => [t, t === "harassment" && p.gender === "woman" ? w * 2 : w]);
    threats.push(pick(rng, weights));
  }
  return {
    top_threats: threats,
    safe_market: safetyAnswer(rng, clamp(p.safeDark + 0.2), 0.02),
    safe_water_point: safetyAnswer(rng, clamp(p.safeDark + 0.1), 0.03),
    safe_roads: safetyAnswer(rng, p.safeDark, 0.04),
    safe_home: safetyAnswer(rng, clamp(p.safeDark + 0.3), 0),
    trust_police: trustAnswer(rng, p.trust),
    trust_courts: trustAnswer(rng, clamp(p.trust - 0.08)),
    trust_community_leaders: trustAnswer(rng, clamp(p.trust + 0.2)),
    trust_customary: trustAnswer(rng, clamp(p.trust + 0.15)),
    dispute_resolver: pick(rng, [["police", 20], ["courts", 6], ["local_authority", 10], ["community_leaders", 25], ["elders_customary", 25], ["religious_leaders", 8], ["no_one", 4], ["99", 2]]),
    groups_relations: pick(rng, [["1", 8], ["2", 15], ["3", 22], ["4", 35], ["5", 15], ["99", 5]]),
    safety_change: pick(rng, [["1", 20 + 100 * p.safeDark], ["2", 50], ["3", 30], ["99", 5]]),
    gender: p.gender,
    age_band: p.age_band,
    displacement: pick(rng, [["host", 55], ["idp", 25], ["refugee", 10], ["returnee", 8], ["prefer_not", 2]]),
  };
}

/** A deterministic UUID (v4 layout) from the generator, so reruns produce the same ids. */
export function seededUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A time within [startsOn, endsOn] (dates), never later than `notAfter`. */
export function timeWithin(rng: Rng, startsOn: string, endsOn: string, notAfter = Date.now()): string {
  const a = Date.parse(`${startsOn}T07:00:00Z`);
  const b = Math.min(Date.parse(`${endsOn}T17:00:00Z`), notAfter);
  return new Date(a + Math.floor(rng() * Math.max(1, b - a))).toISOString();
}
