// GET /surveys/{id}/definition.json[?version=N] — the definition as a file, to share with other programmes.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { draftOrLatest, getVersion } from "~/models/surveys.server";
import { refuse } from "~/refusal.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey } = await requireSurvey(request, context, params.surveyId!);
  const asked = new URL(request.url).searchParams.get("version");
  const definition = asked ? await getVersion(context.db, survey.id, Number(asked)) : await draftOrLatest(context.db, survey);
  if (!definition) throw refuse("refused.noVersion", 404);
  const slug = survey.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "survey";
  const suffix = asked ? `-v${asked}` : survey.hasDraft ? "-draft" : `-v${survey.latestVersion}`;
  return new Response(JSON.stringify(definition, null, 2) + "\n", {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${slug}${suffix}.json"`,
    },
  });
}
