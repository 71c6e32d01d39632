// Reads the tracking page's target form: a baseline round and one target per round, typed in the
// indicator's display units (percent for shares, scale points for means). Pure.
import type { Indicator } from "~/survey";

export type PlanForm =
  | { ok: true; baselineRoundId: string | null; targets: { roundId: string; value: number }[]; dateTargets: { on: string; value: number }[] }
  | { ok: false; field: string; message: string };

/** Rows of date targets the form offers (filled ones plus empty ones to add). */
export const DATE_TARGET_ROWS = 3;

const numberText = (raw: unknown) => String(raw ?? "").trim().replace(",", ".").replace(/\s*%$/, "");

export function readPlanForm(form: { get(name: string): unknown }, indicator: Indicator, roundIds: string[]): PlanForm {
  const baseline = String(form.get("baseline") ?? "");
  if (baseline && !roundIds.includes(baseline)) return { ok: false, field: "baseline", message: "Choose the baseline among the programme's rounds." };
  const targets: { roundId: string; value: number }[] = [];
  for (const roundId of roundIds) {
    const raw = numberText(form.get(`target.${roundId}`));
    if (raw === "") continue;
    const n = Number(raw);
    if (!Number.isFinite(n)) return { ok: false, field: `target.${roundId}`, message: "Enter a number, or leave it empty for no target." };
    if (indicator.kind === "share" && (n < 0 || n > 100)) return { ok: false, field: `target.${roundId}`, message: "A share's target is between 0 % and 100 %." };
    targets.push({ roundId, value: indicator.kind === "share" ? Math.round(n * 10) / 1000 : n });
  }
  // Date targets: rows dateTarget.{k}.on / .value; a row with neither is empty, one with only one is refused.
  const dateTargets: { on: string; value: number }[] = [];
  for (let k = 0; form.get(`dateTarget.${k}.on`) != null || form.get(`dateTarget.${k}.value`) != null; k++) {
    const on = String(form.get(`dateTarget.${k}.on`) ?? "").trim();
    const raw = numberText(form.get(`dateTarget.${k}.value`));
    if (!on && !raw) continue;
    if (!on) return { ok: false, field: `dateTarget.${k}.on`, message: "Give the date this target is for." };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(on)) return { ok: false, field: `dateTarget.${k}.on`, message: "A target date is a day, like 2027-06-30." };
    if (!raw) return { ok: false, field: `dateTarget.${k}.value`, message: "Give the target for this date, or clear the date." };
    const n = Number(raw);
    if (!Number.isFinite(n)) return { ok: false, field: `dateTarget.${k}.value`, message: "Enter a number, or leave it empty for no target." };
    if (indicator.kind === "share" && (n < 0 || n > 100)) return { ok: false, field: `dateTarget.${k}.value`, message: "A share's target is between 0 % and 100 %." };
    dateTargets.push({ on, value: indicator.kind === "share" ? Math.round(n * 10) / 1000 : n });
  }
  return { ok: true, baselineRoundId: baseline || null, targets, dateTargets };
}
