// Full-size preview of a survey as respondents see it, in any of its languages.
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { draftOrLatest, getVersion } from "~/models/surveys.server";
import { SurveyDefinitionSchema, type SurveyDefinition } from "~/survey";
import { RespondentFlow } from "~/ui/respondent/RespondentFlow";
import { respondentStylesHref } from "~/ui/respondent/styles";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { preview as previewWords } from "~/i18n/staff/preview";
import { useStaffLocale, useWords } from "~/i18n/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: respondentStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{title}", data.title) : "Preview" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!);
  const { words } = await wordsFor(context.db, request, viewer.id, previewWords);
  const url = new URL(request.url);
  const version = url.searchParams.get("version");
  const definition = version ? await getVersion(context.db, survey.id, Number(version)) : await draftOrLatest(context.db, survey);
  if (!definition) throw refuse("refused.noVersion", 404);
  const parsed = SurveyDefinitionSchema.safeParse(definition);
  return {
    surveyId: survey.id,
    title: survey.title,
    version: version ? Number(version) : null,
    definition: parsed.success ? parsed.data : null,
    language: url.searchParams.get("lang"),
    words,
  };
}

export default function Preview() {
  const d = useLoaderData<typeof loader>();
  const t = useWords(d.words);
  const { locale, dir } = useStaffLocale();
  const navigate = useNavigate();
  const def = d.definition as SurveyDefinition | null;
  const language = def?.languages.some((l) => l.code === d.language) ? d.language! : undefined;
  return (
    <div className="preview-page">
      <div className="preview-bar no-print" lang={locale} dir={dir}>
        <Link to={`/surveys/${d.surveyId}`}>{t("back")}</Link>
        <span>{d.version ? t("ofVersion", { n: d.version }) : t("ofDraft")}</span>
        {def ? (
          <label>
            {t("language")}{" "}
            <select
              value={language ?? ""}
              onChange={(e) => {
                const p = new URLSearchParams({ ...(d.version ? { version: String(d.version) } : {}), ...(e.target.value ? { lang: e.target.value } : {}) });
                navigate(`?${p}`, { replace: true });
              }}
            >
              <option value="">{t("respondentChooses")}</option>
              {def.languages.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {def ? (
        <RespondentFlow key={language ?? "choose"} definition={def} mode="preview" language={language} />
      ) : (
        <p className="notice notice-error">{t("incomplete")}</p>
      )}
    </div>
  );
}
