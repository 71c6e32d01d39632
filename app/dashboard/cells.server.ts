// Which months hold data for a survey, for the dashboard's filter menus. Every
// figure itself comes from the question's disclosure family (./family.server).
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";

/** Months (YYYY-MM) that hold data for a survey, for the From/To menus. */
export async function surveyPeriods(db: Kysely<Database>, surveyId: string): Promise<{ months: string[] }> {
  const rows = await db.selectFrom("agg_indicator_margins").select("month").where("survey_id", "=", surveyId).where("dimension", "=", "").groupBy("month").execute();
  return { months: rows.map((r) => r.month).sort() };
}
