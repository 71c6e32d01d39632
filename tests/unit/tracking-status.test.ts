import { describe, expect, it } from "vitest";
import { distanceAchieved, expectedAt, trackingStatus } from "~/dashboard/tracking";

// Rounds 0 baseline, 1 midline, 2 endline; a share aimed from 40 % to 60 % by endline.
const base = { direction: "higher_is_better" as const, baseline: { index: 0, value: 0.4 }, targets: [{ index: 2, value: 0.6 }] };

describe("the tracking status respects the interval", () => {
  it("calls the target met only when the whole interval is beyond it", () => {
    expect(trackingStatus({ ...base, latest: { index: 2, value: 0.66, low: 0.61, high: 0.7 } }).status).toBe("target met");
    // The estimate is past the target but the interval reaches back below it: on track, not met.
    expect(trackingStatus({ ...base, latest: { index: 2, value: 0.62, low: 0.57, high: 0.67 } }).status).toBe("on track");
  });

  it("measures a midline against the straight path from baseline to target", () => {
    expect(expectedAt(1, base.baseline, base.targets)).toBeCloseTo(0.5);
    expect(trackingStatus({ ...base, latest: { index: 1, value: 0.46, low: 0.41, high: 0.51 } })).toMatchObject({ status: "on track" });
    const behind = trackingStatus({ ...base, latest: { index: 1, value: 0.42, low: 0.38, high: 0.47 } });
    expect(behind.status).toBe("not on track");
    expect(behind.expected).toBeCloseTo(0.5);
  });

  it("uses a round's own target, and the path between two targets", () => {
    const targets = [{ index: 1, value: 0.45 }, { index: 3, value: 0.65 }];
    expect(expectedAt(1, base.baseline, targets)).toBe(0.45);
    expect(expectedAt(2, base.baseline, targets)).toBeCloseTo(0.55);
    expect(expectedAt(4, base.baseline, targets)).toBe(0.65);
  });

  it("turns around for indicators where lower is better", () => {
    const lower = { direction: "lower_is_better" as const, baseline: { index: 0, value: 0.3 }, targets: [{ index: 1, value: 0.2 }] };
    expect(trackingStatus({ ...lower, latest: { index: 1, value: 0.15, low: 0.12, high: 0.19 } }).status).toBe("target met");
    expect(trackingStatus({ ...lower, latest: { index: 1, value: 0.26, low: 0.22, high: 0.3 } }).status).toBe("not on track");
  });

  it("says when there is not enough data, and why", () => {
    expect(trackingStatus({ ...base, targets: [], latest: { index: 1, value: 0.5, low: 0.4, high: 0.6 } })).toMatchObject({ status: "not enough data", reason: "no target set" });
    expect(trackingStatus({ ...base, latest: null }).status).toBe("not enough data");
    expect(trackingStatus({ ...base, latest: { index: 0, value: 0.4, low: 0.35, high: 0.45 } }).reason).toBe("only the baseline has been measured");
    expect(trackingStatus({ ...base, baseline: null, latest: { index: 1, value: 0.5, low: 0.45, high: 0.55 } }).reason).toBe("no baseline to draw the path to the target from");
  });

  it("gives the share of the distance from baseline to target", () => {
    expect(distanceAchieved(0.4, 0.5, 0.6)).toBeCloseTo(0.5);
    expect(distanceAchieved(0.4, 0.35, 0.6)).toBeCloseTo(-0.25);
    expect(distanceAchieved(null, 0.5, 0.6)).toBeNull();
  });
});
