// Targets for a date on the rounds' timeline, the tracking page's date-target form, and the
// comparability check that decides whether two surveys' indicators may be linked.
import { describe, expect, it } from "vitest";
import { datePosition, expectedAt, trackingStatus } from "~/dashboard/tracking";
import { readPlanForm } from "~/dashboard/plan-form";
import { linkWarnings } from "~/survey/comparability";
import { getTemplate } from "~/survey-templates.server";
import type { Indicator, SurveyDefinition } from "~/survey";

// Baseline ends 31 March, midline 30 June (91 days later), endline 30 September (92 days later).
const rounds = [{ endsOn: "2026-03-31" }, { endsOn: "2026-06-30" }, { endsOn: "2026-09-30" }];

describe("a target for a date sits on the rounds' timeline", () => {
  it("between two rounds at the share of the days between their last days", () => {
    expect(datePosition("2026-03-31", rounds)).toBe(0);
    expect(datePosition("2026-01-15", rounds)).toBe(0);
    expect(datePosition("2026-06-30", rounds)).toBe(1);
    // 15 May is 45 of the 91 days from 31 March to 30 June.
    expect(datePosition("2026-05-15", rounds)).toBeCloseTo(45 / 91, 12);
    expect(datePosition("2026-08-15", rounds)).toBeCloseTo(1 + 46 / 92, 12);
  });

  it("beyond the last round at the pace of the last gap", () => {
    // 31 December is 92 days after 30 September: one more gap of 92 days.
    expect(datePosition("2026-12-31", rounds)).toBeCloseTo(3, 12);
    expect(datePosition("2027-01-01", [{ endsOn: "2026-12-31" }])).toBe(1);
  });

  it("decides the value expected by a round and the status like a round's target", () => {
    // From 40 % at baseline to 70 % by 31 December (position 3): the endline (2) is expected at 60 %.
    const targets = [{ index: datePosition("2026-12-31", rounds), value: 0.7 }];
    const baseline = { index: 0, value: 0.4 };
    expect(expectedAt(2, baseline, targets)).toBeCloseTo(0.6, 12);
    const behind = trackingStatus({ direction: "higher_is_better", baseline, latest: { index: 2, value: 0.5, low: 0.45, high: 0.55 }, targets });
    expect(behind).toMatchObject({ status: "not on track" });
    expect(behind.expected).toBeCloseTo(0.6, 12);
  });
});

describe("the date-target form", () => {
  const share = { id: "x", kind: "share", codes: ["1"], denominator: "all" } as unknown as Indicator;
  const form = (fields: Record<string, string>) => ({ get: (k: string) => fields[k] ?? null });

  it("reads filled rows in percent, skips empty ones", () => {
    const r = readPlanForm(form({ "dateTarget.0.on": "2027-06-30", "dateTarget.0.value": "62,5 %", "dateTarget.1.on": "", "dateTarget.1.value": "" }), share, []);
    expect(r).toEqual({ ok: true, baselineRoundId: null, targets: [], dateTargets: [{ on: "2027-06-30", value: 0.625 }] });
  });

  it("names the field of a half-filled row or a value out of range", () => {
    expect(readPlanForm(form({ "dateTarget.0.on": "2027-06-30", "dateTarget.0.value": "" }), share, [])).toMatchObject({ ok: false, field: "dateTarget.0.value" });
    expect(readPlanForm(form({ "dateTarget.0.on": "", "dateTarget.0.value": "50" }), share, [])).toMatchObject({ ok: false, field: "dateTarget.0.on" });
    expect(readPlanForm(form({ "dateTarget.0.on": "30/06/2027", "dateTarget.0.value": "50" }), share, [])).toMatchObject({ ok: false, field: "dateTarget.0.on" });
    expect(readPlanForm(form({ "dateTarget.0.on": "2027-06-30", "dateTarget.0.value": "150" }), share, [])).toMatchObject({ ok: false, field: "dateTarget.0.value" });
  });
});

describe("linking two surveys' indicators uses the versions' comparability check", () => {
  const core = () => structuredClone(getTemplate("sdg16_core")!.definition) as SurveyDefinition;
  const renamed = () => {
    const d = core();
    d.questions.find((q) => q.id === "safe_after_dark")!.id = "night";
    for (const i of d.indicators) if (i.question === "safe_after_dark") (i as { question: string }).question = "night";
    d.indicators.find((i) => i.id === "safe_after_dark_official")!.id = "safe_night";
    return d;
  };

  it("accepts the same indicator under other ids", () => {
    expect(linkWarnings(core(), "safe_after_dark_official", renamed(), "safe_night")).toEqual([]);
  });

  it("refuses a reworded question, pointing at the later survey's field", () => {
    const later = renamed();
    const k = later.questions.findIndex((q) => q.id === "night");
    later.questions[k].label.en = "How safe do you feel at night?";
    const w = linkWarnings(core(), "safe_after_dark_official", later, "safe_night");
    expect(w.map((x) => x.path)).toEqual([`questions.${k}.label.en`]);
    expect(w[0].indicatorId).toBe("safe_night");
  });

  it("refuses different counted codes and a different question", () => {
    const later = renamed();
    const ind = later.indicators.find((i) => i.id === "safe_night") as { codes: string[] };
    ind.codes = ["1"];
    const k = later.indicators.findIndex((i) => i.id === "safe_night");
    expect(linkWarnings(core(), "safe_after_dark_official", later, "safe_night").map((x) => x.path)).toContain(`indicators.${k}.codes`);
    expect(linkWarnings(core(), "safe_after_dark_official", core(), "safe_daytime").length).toBeGreaterThan(0);
  });
});
