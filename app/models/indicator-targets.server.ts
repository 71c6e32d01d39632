// Targets per period (migration 0017): an indicator's target for any round, its baseline round, and
// the texts saved with a survey's report. Managers and administrators set them; each change is audited.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import type { Indicator } from "~/survey";
import type { Viewer } from "./viewer";
import { recordAudit } from "./audit.server";

export interface IndicatorPlan {
  /** The round change and progress are measured from; null: the programme's baseline round (or the first). */
  baselineRoundId: string | null;
  /** Targets by round id (a 0–1 fraction for shares, scale units for means). */
  targets: Map<string, number>;
  /** Targets for a date (YYYY-MM-DD), earliest first, in the same units. */
  dates: { on: string; value: number }[];
}

export type Plans = Map<string, IndicatorPlan>;

export async function getPlans(db: Kysely<Database>, surveyId: string): Promise<Plans> {
  const [targets, baselines, dates] = await Promise.all([
    db.selectFrom("indicator_targets").select(["indicator_id", "round_id", "value"]).where("survey_id", "=", surveyId).execute(),
    db.selectFrom("indicator_baselines").select(["indicator_id", "round_id"]).where("survey_id", "=", surveyId).execute(),
    db.selectFrom("indicator_date_targets").select(["indicator_id", "target_on", "value"]).where("survey_id", "=", surveyId).orderBy("target_on").execute(),
  ]);
  const plans: Plans = new Map();
  const of = (id: string) => {
    let p = plans.get(id);
    if (!p) plans.set(id, (p = { baselineRoundId: null, targets: new Map(), dates: [] }));
    return p;
  };
  for (const t of targets) of(t.indicator_id).targets.set(t.round_id, Number(t.value));
  for (const b of baselines) of(b.indicator_id).baselineRoundId = b.round_id;
  for (const d of dates) of(d.indicator_id).dates.push({ on: d.target_on, value: Number(d.value) });
  return plans;
}

/** A refused change, naming the form field. */
export class PlanInputError extends Error {
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A real calendar day written YYYY-MM-DD. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export const canSetTargets = (role: string | null) => role === "manager" || role === "admin";

/**
 * Replaces one indicator's baseline round and targets. `targets` holds every round of the programme
 * the manager filled in (in the indicator's own units: a 0–1 fraction for shares); a round left out
 * has no target. Checks everything first, so a bad value changes nothing.
 */
export async function setIndicatorPlan(
  db: Kysely<Database>,
  viewer: Viewer,
  input: {
    programmeId: string;
    surveyId: string;
    indicator: Indicator;
    roundIds: string[];
    baselineRoundId: string | null;
    targets: { roundId: string; value: number }[];
    /** Targets for dates (YYYY-MM-DD); each date at most once. */
    dateTargets?: { on: string; value: number }[];
  },
): Promise<void> {
  const { indicator } = input;
  const known = new Set(input.roundIds);
  if (input.baselineRoundId !== null && !known.has(input.baselineRoundId)) throw new PlanInputError("baseline", "Choose the baseline among the programme's rounds.");
  for (const t of input.targets) {
    const field = `target.${t.roundId}`;
    if (!known.has(t.roundId)) throw new PlanInputError(field, "A target belongs to one of the programme's rounds.");
    if (!Number.isFinite(t.value)) throw new PlanInputError(field, "A target is a number.");
    if (indicator.kind === "share" && (t.value < 0 || t.value > 1)) throw new PlanInputError(field, "A share's target is between 0 % and 100 %.");
  }
  const dateTargets = input.dateTargets ?? [];
  for (const [k, t] of dateTargets.entries()) {
    if (!isDay(t.on)) throw new PlanInputError(`dateTarget.${k}.on`, "A target date is a day, like 2027-06-30.");
    if (dateTargets.findIndex((x) => x.on === t.on) !== k) throw new PlanInputError(`dateTarget.${k}.on`, "Each date has one target.");
    if (!Number.isFinite(t.value)) throw new PlanInputError(`dateTarget.${k}.value`, "A target is a number.");
    if (indicator.kind === "share" && (t.value < 0 || t.value > 1)) throw new PlanInputError(`dateTarget.${k}.value`, "A share's target is between 0 % and 100 %.");
  }
  if (input.baselineRoundId !== null && input.targets.some((t) => t.roundId === input.baselineRoundId))
    throw new PlanInputError(`target.${input.baselineRoundId}`, "The baseline round has a value, not a target: set targets for later rounds.");

  const before = await getPlans(db, input.surveyId);
  const old = before.get(indicator.id);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("indicator_targets").where("survey_id", "=", input.surveyId).where("indicator_id", "=", indicator.id).execute();
    await trx.deleteFrom("indicator_baselines").where("survey_id", "=", input.surveyId).where("indicator_id", "=", indicator.id).execute();
    await trx.deleteFrom("indicator_date_targets").where("survey_id", "=", input.surveyId).where("indicator_id", "=", indicator.id).execute();
    const at = nowIso();
    if (dateTargets.length)
      await trx
        .insertInto("indicator_date_targets")
        .values(dateTargets.map((t) => ({ survey_id: input.surveyId, indicator_id: indicator.id, target_on: t.on, value: t.value, set_by: viewer.id, set_at: at })))
        .execute();
    if (input.targets.length)
      await trx
        .insertInto("indicator_targets")
        .values(input.targets.map((t) => ({ survey_id: input.surveyId, indicator_id: indicator.id, round_id: t.roundId, value: t.value, set_by: viewer.id, set_at: at })))
        .execute();
    if (input.baselineRoundId !== null)
      await trx.insertInto("indicator_baselines").values({ survey_id: input.surveyId, indicator_id: indicator.id, round_id: input.baselineRoundId }).execute();
    await recordAudit(trx, viewer, {
      action: "indicator.targets",
      programmeId: input.programmeId,
      surveyId: input.surveyId,
      target: `indicator ${indicator.id}`,
      details: {
        baseline: { old: old?.baselineRoundId ?? null, new: input.baselineRoundId },
        targets: { old: Object.fromEntries(old?.targets ?? []), new: Object.fromEntries(input.targets.map((t) => [t.roundId, t.value])) },
        dates: { old: Object.fromEntries((old?.dates ?? []).map((d) => [d.on, d.value])), new: Object.fromEntries(dateTargets.map((d) => [d.on, d.value])) },
      },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Report texts

export { REPORT_TEXT_MAX, SUMMARY } from "~/dashboard/report-texts";
import { REPORT_TEXT_MAX, SUMMARY } from "~/dashboard/report-texts";

export async function getReportTexts(db: Kysely<Database>, surveyId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom("report_texts").select(["indicator_id", "body"]).where("survey_id", "=", surveyId).execute();
  return new Map(rows.map((r) => [r.indicator_id, r.body]));
}

export async function saveReportTexts(
  db: Kysely<Database>,
  viewer: Viewer,
  input: { programmeId: string; surveyId: string; texts: { indicatorId: string; body: string }[] },
): Promise<void> {
  for (const t of input.texts) {
    if (t.body.length > REPORT_TEXT_MAX) throw new PlanInputError(t.indicatorId === SUMMARY ? "summary" : `narrative.${t.indicatorId}`, `Keep a text under ${REPORT_TEXT_MAX} characters.`);
  }
  await db.transaction().execute(async (trx) => {
    const at = nowIso();
    for (const t of input.texts) {
      await trx.deleteFrom("report_texts").where("survey_id", "=", input.surveyId).where("indicator_id", "=", t.indicatorId).execute();
      if (t.body.trim()) await trx.insertInto("report_texts").values({ survey_id: input.surveyId, indicator_id: t.indicatorId, body: t.body.trim(), updated_by: viewer.id, updated_at: at }).execute();
    }
    await recordAudit(trx, viewer, { action: "report.texts", programmeId: input.programmeId, surveyId: input.surveyId, target: "report", details: { texts: input.texts.length } });
  });
}
