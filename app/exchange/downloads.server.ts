// The raw-export and codebook downloads, shared by the API routes: who may take raw responses
// (facilitators of the programme and administrators; managers get the dashboards' aggregates),
// the audit entry for every raw export, and the streamed reply.
import type { AppLoadContext } from "@remix-run/node";
import { jsonError, requireApiViewer } from "~/auth.server";
import type { ApiScope } from "~/models/api-scopes";
import { canAuthor, getSurvey } from "~/models/surveys.server";
import { recordAudit } from "~/models/audit.server";
import { buildCodebook, codebookRows } from "./codebook";
import { csvStream, exportResponsesCsv, surveyLayout } from "./export.server";
import { BOM, toCsv } from "./csv-write";

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "survey";
const today = () => new Date().toISOString().slice(0, 10);

async function surveyFor(request: Request, context: AppLoadContext, surveyId: string, scope: ApiScope) {
  const viewer = await requireApiViewer(request, context, scope);
  const survey = await getSurvey(context.db, viewer, surveyId);
  if (!survey) throw jsonError(404, "No such survey, or you are not a member of its programme.");
  return { viewer, survey };
}

export async function rawResponsesDownload(request: Request, context: AppLoadContext, surveyId: string): Promise<Response> {
  const { viewer, survey } = await surveyFor(request, context, surveyId, "raw");
  if (!canAuthor(survey.role))
    return jsonError(403, "Raw responses are only for the programme's facilitators and administrators. Managers can export the dashboards' aggregated figures.");
  if (survey.latestVersion === 0) return jsonError(409, "This survey has not been published, so it has no responses.");
  const url = new URL(request.url);
  const language = url.searchParams.get("labels") || undefined;
  const bom = ["1", "true", "yes", "on"].includes(url.searchParams.get("bom") ?? "");
  await recordAudit(context.db, viewer, {
    action: "export.responses",
    programmeId: survey.programmeId,
    surveyId: survey.id,
    target: `survey "${survey.title}"`,
    details: { format: "csv", labels: language ?? null, bom },
  });
  const body = csvStream(exportResponsesCsv(context.db, survey.id, { language, bom }));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${slug(survey.title)}-responses-${today()}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

export async function codebookDownload(request: Request, context: AppLoadContext, surveyId: string, format: "csv" | "json"): Promise<Response> {
  const { survey } = await surveyFor(request, context, surveyId, "aggregates");
  const book = buildCodebook({ id: survey.id, title: survey.title }, await surveyLayout(context.db, survey.id));
  const name = `${slug(survey.title)}-codebook.${format}`;
  if (format === "json")
    return new Response(JSON.stringify(book, null, 2) + "\n", {
      headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` },
    });
  const bom = ["1", "true", "yes", "on"].includes(new URL(request.url).searchParams.get("bom") ?? "");
  return new Response((bom ? BOM : "") + toCsv(codebookRows(book)), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"` },
  });
}
