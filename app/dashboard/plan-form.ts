// Reads the tracking page's target form: a baseline round and one target per round, typed in the
// indicator's display units (percent for shares, scale points for means). Pure.
import type { Indicator } from "~/survey";

export type PlanForm =
  | { ok: true; baselineRoundId: string | null; targets: { roundId: string; value: number }[] }
  | { ok: false; field: string; message: string };

export function readPlanForm(form: { get(name: string): unknown }, indicator: Indicator, roundIds: string[]): PlanForm {
  const baseline = String(form.get("baseline") ?? "");
  if (baseline && !roundIds.includes(baseline)) return { ok: false, field: "baseline", message: "Choose the baseline among the programme's rounds." };
  const targets: { roundId: string; value: number }[] = [];
  for (const roundId of roundIds) {
    const raw = String(form.get(`target.${roundId}`) ?? "").trim().replace(",", ".").replace(/\s*%$/, "");
    if (raw === "") continue;
    const n = Number(raw);
    if (!Number.isFinite(n)) return { ok: false, field: `target.${roundId}`, message: "Enter a number, or leave it empty for no target." };
    if (indicator.kind === "share" && (n < 0 || n > 100)) return { ok: false, field: `target.${roundId}`, message: "A share's target is between 0 % and 100 %." };
    targets.push({ roundId, value: indicator.kind === "share" ? Math.round(n * 10) / 1000 : n });
  }
  return { ok: true, baselineRoundId: baseline || null, targets };
}
