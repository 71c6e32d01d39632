// The tracking status of an indicator (pure, unit-tested): whether its latest shown figure, with its
// 95% interval, has met the target, is on the path from baseline to target, or is behind it.
import type { Direction } from "~/stats/statistics";

export type TrackingStatus = "target met" | "on track" | "not on track" | "not enough data";

export const STATUS_RULES: Record<TrackingStatus, string> = {
  "target met": "the whole 95% interval of the latest shown round lies at or beyond the last target set",
  "on track":
    "not met yet, but the interval still reaches the value expected by the latest round: that round's own target, or the straight path from the baseline (or the previous round's target) to the next target",
  "not on track": "the whole interval of the latest round falls short of the value expected by then",
  "not enough data":
    "no target set, no figure shown after the baseline (too few respondents, or hidden to protect a small group), or no baseline to draw the path from",
};

export interface StatusInput {
  direction: Direction;
  /** Round positions count from 0 in the programme's order of rounds. */
  baseline: { index: number; value: number } | null;
  latest: { index: number; value: number; low: number | null; high: number | null } | null;
  /** Targets by round position (a date target at its fractional position, see datePosition), any order. */
  targets: { index: number; value: number }[];
}

export interface StatusResult {
  status: TrackingStatus;
  /** The value the latest round was expected to reach (its target or a point on the path), if any. */
  expected: number | null;
  reason: string;
}

/** The value expected at a round: its target, or the straight line between the nearest points. */
export function expectedAt(index: number, baseline: StatusInput["baseline"], targets: StatusInput["targets"]): number | null {
  const sorted = [...targets].sort((a, b) => a.index - b.index);
  const own = sorted.find((t) => t.index === index);
  if (own) return own.value;
  const next = sorted.find((t) => t.index > index);
  if (!next) return sorted.at(-1)?.value ?? null;
  const prevTarget = sorted.filter((t) => t.index < index).at(-1);
  const from = prevTarget && (!baseline || prevTarget.index > baseline.index) ? prevTarget : baseline && baseline.index < index ? baseline : null;
  if (!from) return null;
  return from.value + ((next.value - from.value) * (index - from.index)) / (next.index - from.index);
}

export function trackingStatus(input: StatusInput): StatusResult {
  const none = (reason: string): StatusResult => ({ status: "not enough data", expected: null, reason });
  if (!input.targets.length) return none("no target set");
  const { latest, baseline } = input;
  if (!latest || latest.low === null || latest.high === null) return none("no figure shown for any round");
  if (baseline && latest.index <= baseline.index) return none("only the baseline has been measured");
  const higher = input.direction === "higher_is_better";
  const worse = higher ? latest.low : latest.high;
  const better = higher ? latest.high : latest.low;
  const reaches = (x: number, t: number) => (higher ? x >= t : x <= t);
  const final = [...input.targets].sort((a, b) => a.index - b.index).at(-1)!;
  if (reaches(worse, final.value)) return { status: "target met", expected: final.value, reason: "the whole interval is at or beyond the target" };
  const expected = expectedAt(latest.index, baseline, input.targets);
  if (expected === null) return none("no baseline to draw the path to the target from");
  if (reaches(better, expected)) return { status: "on track", expected, reason: "the interval reaches the value expected by this round" };
  return { status: "not on track", expected, reason: "the whole interval falls short of the value expected by this round" };
}

/** Share of the baseline → target distance covered (1 = reached; may be below 0 or above 1). */
export function distanceAchieved(baseline: number | null, actual: number | null, target: number | null): number | null {
  if (baseline === null || actual === null || target === null || target === baseline) return null;
  return (actual - baseline) / (target - baseline);
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * Where a date sits among the rounds, in round positions (rounds in order, each at its last day):
 * 0 at or before the first round's end, i + the share of the way from round i's end to round i+1's,
 * and beyond the last round at the pace of the last gap. So a target "by 30 June" counts, for the
 * status, as a target on the path between the rounds around that day.
 */
export function datePosition(day: string, rounds: { endsOn: string }[]): number {
  if (!rounds.length) return 0;
  const ends = rounds.map((r) => dayNumber(r.endsOn));
  const d = dayNumber(day);
  if (d <= ends[0]) return 0;
  for (let i = 0; i + 1 < ends.length; i++) if (d <= ends[i + 1]) return i + (ends[i + 1] === ends[i] ? 1 : (d - ends[i]) / (ends[i + 1] - ends[i]));
  const last = ends.length - 1;
  const gap = last > 0 ? ends[last] - ends[last - 1] : 0;
  return last + (gap > 0 ? (d - ends[last]) / gap : 1);
}
