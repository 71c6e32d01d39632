// GET /surveys/{id}/translation-file?lang=so&format=csv|xlsx — a translator's file for one language.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getMarks } from "~/models/translations.server";
import { translationRows } from "~/translation/texts";
import { translationCsv, translationXlsx } from "~/translation/file.server";
import { languageOf, surveyAndDraft } from "~/translation/access.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey, def } = await surveyAndDraft(request, context, params.surveyId!);
  const url = new URL(request.url);
  const lang = languageOf(def, url.searchParams.get("lang"));
  const format = url.searchParams.get("format") ?? "xlsx";
  const rows = translationRows(def, lang.code, await getMarks(context.db, survey.id, lang.code));
  const name = `${survey.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "survey"}-${lang.code}`;
  if (format === "csv")
    return new Response(translationCsv(rows, def.defaultLanguage, lang.code), { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}.csv"` } });
  if (format === "xlsx")
    return new Response(Buffer.from(await translationXlsx(rows, def.defaultLanguage, lang.code)), {
      headers: { "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Content-Disposition": `attachment; filename="${name}.xlsx"` },
    });
  throw data({ message: 'format must be "csv" or "xlsx".' }, { status: 400 });
}
