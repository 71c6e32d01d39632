// An import job's progress, as JSON, for the Data page's progress bar: only the person who uploaded the file sees it.
import { type LoaderFunctionArgs } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { getImportJob } from "~/exchange/import-jobs.server";
import { refuse } from "~/refusal.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const job = await getImportJob(context.db, viewer.id, survey.id, params.jobId!);
  if (!job) throw refuse("refused.noImport", 404);
  // The progress, and the dry run's count of valid rows (what the import measures itself against).
  const { report, ...progress } = job;
  return Response.json({ ...progress, report: report ? { valid: report.valid } : null }, { headers: { "Cache-Control": "no-store" } });
}
