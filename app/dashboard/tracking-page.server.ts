// What the tracking page and its downloads load: the viewer's programme, survey context, the
// tracking table for the split asked for, whether the viewer may set targets, and (for those who
// may) the indicators of the programme's other surveys an indicator can be linked to.
import { data, type AppLoadContext } from "@remix-run/node";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { requireViewer } from "~/auth.server";
import { roleIn } from "~/models/programmes.server";
import { canSetTargets } from "~/models/indicator-targets.server";
import { getLatestVersion } from "~/models/surveys.server";
import { staffLocale } from "~/i18n/staff.server";
import { loadDashboardContext, text, type DashboardContext } from "./context.server";
import { loadTracking } from "./tracking.server";

export interface LinkChoice {
  surveyId: string;
  title: string;
  indicators: { id: string; label: string }[];
}

/** The programme's other published surveys and their indicators. */
export async function linkChoices(db: Kysely<Database>, ctx: DashboardContext): Promise<LinkChoice[]> {
  const out: LinkChoice[] = [];
  for (const s of ctx.surveys) {
    if (s.id === ctx.survey.id || s.latestVersion === 0) continue;
    const latest = await getLatestVersion(db, s.id);
    if (!latest) continue;
    out.push({ surveyId: s.id, title: s.title, indicators: latest.definition.indicators.map((i) => ({ id: i.id, label: text(i.label, ctx.language) })) });
  }
  return out;
}

export async function loadTrackingPage(request: Request, context: AppLoadContext, programmeId: string) {
  const viewer = await requireViewer(request, context);
  const url = new URL(request.url);
  // Indicator and group labels in the staff page's language when the survey has it.
  const found = await loadDashboardContext(context.db, viewer, programmeId, url.searchParams.get("survey"), await staffLocale(context.db, request, viewer.id));
  if (!found) throw data({ message: "There is no programme here, or you are not a member of it." }, { status: 404 });
  const role = await roleIn(context.db, viewer, found.programme.id);
  const canEdit = canSetTargets(role);
  if (!found.context) return { viewer, programme: found.programme, ctx: null, table: null, canEdit, choices: [] };
  const by = url.searchParams.get("by");
  const table = await loadTracking(context.db, found.context, { by });
  return { viewer, programme: found.programme, ctx: found.context, table, canEdit, choices: canEdit ? await linkChoices(context.db, found.context) : [] };
}
