// GET /surveys/{id}/form.xlsx[?version=N] — the survey as an XLSForm, for KoboToolbox or ODK and back.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { draftOrLatest, getVersion } from "~/models/surveys.server";
import { SurveyDefinitionSchema } from "~/survey";
import { exportXlsform } from "~/xlsform/export";
import { writeWorkbook } from "~/xlsform/write.server";
import { refuse } from "~/refusal.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey } = await requireSurvey(request, context, params.surveyId!);
  const asked = new URL(request.url).searchParams.get("version");
  if (asked !== null && !/^[1-9]\d*$/.test(asked)) throw data({ message: 'version must be a published version number such as "2".' }, { status: 400 });
  const stored = asked ? await getVersion(context.db, survey.id, Number(asked)) : await draftOrLatest(context.db, survey);
  if (!stored) throw refuse("refused.noVersion", 404);
  // A draft may be half-typed: it is exported once its shape is whole (the editor says what is missing).
  const parsed = SurveyDefinitionSchema.safeParse(stored);
  if (!parsed.success) throw data({ message: "The draft is not complete enough to export: fix it in the editor, or ask for a published version." }, { status: 409 });
  const version = asked ? Number(asked) : survey.hasDraft ? undefined : survey.latestVersion;
  const bytes = await writeWorkbook(exportXlsform(parsed.data, version));
  const slug = survey.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "survey";
  const suffix = asked ? `-v${asked}` : survey.hasDraft ? "-draft" : `-v${survey.latestVersion}`;
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${slug}${suffix}.xlsx"`,
    },
  });
}
