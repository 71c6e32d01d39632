// The editor page: loads the draft (or a copy of the latest version), saves drafts, publishes.
import { Link, useActionData, useLoaderData, useRouteLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { requireSurvey } from "~/survey-access.server";
import { draftOrLatest, getLatestVersion, publishDraft, saveDraft } from "~/models/surveys.server";
import { markEditedTranslations } from "~/models/translations.server";
import { recordAudit } from "~/models/audit.server";
import { wordsFor } from "~/i18n/staff.server";
import { editor, surveyErrors } from "~/i18n/staff/editor";
import { SurveyEditor } from "~/ui/editor/SurveyEditor";
import { useWords } from "~/i18n/staff";
import { respondentStylesHref } from "~/ui/respondent/styles";
import editorStylesHref from "~/ui/editor/editor.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: respondentStylesHref },
  { rel: "stylesheet", href: editorStylesHref },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{title}", data.title) : "Edit survey" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const latest = await getLatestVersion(context.db, survey.id);
  const { words } = await wordsFor(context.db, request, viewer.id, editor);
  const { words: errorWords } = await wordsFor(context.db, request, viewer.id, surveyErrors);
  return {
    words,
    errorWords,
    surveyId: survey.id,
    programmeId: survey.programmeId,
    programmeName: survey.programmeName,
    title: survey.title,
    draft: await draftOrLatest(context.db, survey),
    draftUpdatedAt: survey.draftUpdatedAt,
    latest: latest?.definition ?? null,
    latestVersion: latest?.version ?? 0,
  };
}

const MAX_DEFINITION_BYTES = 2_000_000;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const form = await readForm(request, context);
  const { t } = await wordsFor(context.db, request, viewer.id, editor);
  const intent = form.get("intent");
  const text = String(form.get("definition") ?? "");
  if (text.length > MAX_DEFINITION_BYTES) return data({ error: t("tooLarge") }, { status: 413 });
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch {
    return data({ error: t("unreadable") }, { status: 400 });
  }
  if (intent === "save") {
    const before = await draftOrLatest(context.db, survey);
    const savedAt = await saveDraft(context.db, survey.id, definition, viewer.id);
    await markEditedTranslations(context.db, survey.id, before, definition);
    return { savedAt };
  }
  if (intent === "publish") {
    await saveDraft(context.db, survey.id, definition, viewer.id);
    const result = await publishDraft(context.db, survey.id, viewer.id, {
      acceptComparabilityBreaks: form.get("acceptComparabilityBreaks") === "yes",
      acceptTranslationGaps: form.get("acceptTranslationGaps") === "yes",
    });
    if (result.ok) {
      await recordAudit(context.db, viewer, { action: "survey.publish", programmeId: survey.programmeId, surveyId: survey.id, target: `survey "${survey.title}"`, details: { version: result.version } });
      return redirect(`/surveys/${survey.id}?published=${result.version}`);
    }
    return data({ publishErrors: "errors" in result ? result.errors : result.warnings.map((w) => ({ path: w.path, message: w.message, code: `cmp_${w.code}`, params: w.params })) }, { status: 400 });
  }
  throw data({ message: t("unknownAction", { intent: String(intent) }) }, { status: 400 });
}

// Autosaves must not reload the page's data: the editor holds the truth while open.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "save" ? false : defaultShouldRevalidate;

export default function EditSurvey() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const root = useRouteLoaderData<{ csrf: string }>("root");
  const t = useWords(d.words);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${d.programmeId}`}>{d.programmeName}</Link> ›{" "}
        <Link to={`/surveys/${d.surveyId}`}>{d.title}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{d.latestVersion ? t("ledeRevision", { next: d.latestVersion + 1, current: d.latestVersion }) : t("ledeDraft")}</p>
      {/* A full page load: only the Voices page's own document may use the microphone. */}
      <p className="voices-link">
        <a href={`/surveys/${d.surveyId}/voices`}>{t("voicesLink")}</a>
      </p>
      <SurveyEditor
        surveyId={d.surveyId}
        initial={d.draft}
        serverUpdatedAt={d.draftUpdatedAt}
        latest={d.latest as never}
        latestVersion={d.latestVersion}
        csrf={root?.csrf ?? ""}
        publishErrors={result && "publishErrors" in result ? result.publishErrors : undefined}
        words={d.words}
        errorWords={d.errorWords}
      />
    </>
  );
}
