// Start a survey: from a ready template, from a copy of another survey, blank, from a JSON file,
// or from an XLSForm (a report of what it cannot hold first, then the facilitator confirms).
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm, requireViewer } from "~/auth.server";
import { getProgramme } from "~/models/programmes.server";
import { canAuthor, createSurvey, draftOrLatest, getSurvey, listSurveys } from "~/models/surveys.server";
import { listTemplates, getTemplate } from "~/survey-templates.server";
import { blankDefinition } from "~/survey/blank";
import { SurveyDefinitionSchema, IndicatorSchema, validateDefinition, type ValidationError } from "~/survey";
import { importXlsform, type XlsformImport } from "~/xlsform/import";
import { readXlsform, WorkbookError } from "~/xlsform/read.server";
import { XlsformReport } from "~/ui/XlsformReport";
import type { Viewer } from "~/models/viewer";
import type { AppLoadContext } from "@remix-run/node";
import { CsrfField, Notice } from "~/ui/forms";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { newSurvey as newSurveyWords } from "~/i18n/staff/new-survey";
import { useWords } from "~/i18n/staff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.pageTitle ?? "New survey" }];

async function authorOf(request: Request, context: AppLoadContext, programmeId: string) {
  const viewer: Viewer = await requireViewer(request, context);
  const programme = await getProgramme(context.db, viewer, programmeId);
  if (!programme) throw refuse("refused.noProgramme", 404);
  if (!canAuthor(viewer.isAdmin ? "admin" : programme.role))
    throw refuse("refused.authorsCreate", 403);
  return { viewer, programme };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, programme } = await authorOf(request, context, params.programmeId!);
  const templates = listTemplates().map((t) => ({
    id: t.id,
    name: t.name,
    summary: t.summary,
    languages: t.definition.languages.map((l) => l.name),
    questions: t.definition.questions.length,
    indicators: t.definition.indicators.length,
  }));
  const surveys = (await listSurveys(context.db, viewer)).map((s) => ({ id: s.id, title: s.title, programme: s.programmeName }));
  const { words } = await wordsFor(context.db, request, viewer.id, newSurveyWords);
  return { programme, templates, surveys, words };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, programme } = await authorOf(request, context, params.programmeId!);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  const { t } = await wordsFor(context.db, request, viewer.id, newSurveyWords);
  let definition: unknown;
  if (intent === "template") {
    const template = getTemplate(String(form.get("templateId")));
    if (!template) return data({ intent, error: t("chooseTemplate") }, { status: 400 });
    definition = structuredClone(template.definition);
    delete (definition as { template?: unknown }).template;
  } else if (intent === "copy") {
    const source = await getSurvey(context.db, viewer, String(form.get("surveyId")));
    if (!source) return data({ intent, error: t("chooseSurvey") }, { status: 400 });
    definition = await draftOrLatest(context.db, source);
  } else if (intent === "blank") {
    definition = blankDefinition();
  } else if (intent === "xlsform") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data({ intent, error: t("chooseXlsform") }, { status: 400 });
    if (file.size > 3_000_000) return data({ intent, error: t("xlsformTooBig") }, { status: 400 });
    let result: XlsformImport;
    try {
      result = importXlsform(await readXlsform(new Uint8Array(await file.arrayBuffer())));
    } catch (e) {
      if (e instanceof WorkbookError) return data({ intent, error: e.message }, { status: 400 });
      throw e;
    }
    // Nothing is stored yet: the report is shown, and the draft is made only when confirmed.
    return data({ intent, fileName: file.name, xlsform: result });
  } else if (intent === "xlsform-create") {
    const parsed = SurveyDefinitionSchema.safeParse(jsonField(form.get("definition")));
    if (!parsed.success) return data({ intent, error: t("xlsformLost") }, { status: 400 });
    const offered = IndicatorSchema.array().safeParse(jsonField(form.get("suggestions")));
    const chosen = new Set(form.getAll("indicator").map(String));
    definition = { ...parsed.data, indicators: [...parsed.data.indicators, ...(offered.success ? offered.data.filter((i) => chosen.has(i.id)) : [])] };
  } else if (intent === "import") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data({ intent, error: t("chooseJson") }, { status: 400 });
    if (file.size > 2_000_000) return data({ intent, error: t("jsonTooBig") }, { status: 400 });
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (e) {
      return data({ intent, error: t("notJson", { reason: e instanceof Error ? e.message : String(e) }) }, { status: 400 });
    }
    const checked = validateDefinition(parsed);
    if (!checked.ok)
      return data(
        { intent, error: t("cannotImport", { n: checked.errors.length }), problems: checked.errors },
        { status: 400 },
      );
    definition = checked.definition;
  } else {
    throw refuse("refused.unknownAction", 400, { intent: String(intent) });
  }
  const id = await createSurvey(context.db, { programmeId: programme.id, definition, createdBy: viewer.id });
  return redirect(`/surveys/${id}/edit`);
}

function jsonField(value: FormDataEntryValue | null): unknown {
  try {
    return typeof value === "string" ? JSON.parse(value) : undefined;
  } catch {
    return undefined;
  }
}

export default function NewSurvey() {
  const { programme, templates, surveys, words } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const problems = (result && "problems" in result ? result.problems : []) as ValidationError[];
  if (result && "xlsform" in result && result.xlsform) {
    return (
      <>
        <p className="breadcrumbs">
          <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> ›{" "}
          <Link to={`/programmes/${programme.id}/surveys/new`}>{t("heading")}</Link> ›
        </p>
        <XlsformReport fileName={result.fileName} result={result.xlsform as XlsformImport} busy={busy} t={t} />
      </>
    );
  }
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede")}</p>
      {result && "error" in result ? (
        <Notice kind="error">
          <p>{result.error}</p>
          {problems.length ? (
            <ul className="problems">
              {problems.slice(0, 50).map((p, i) => (
                <li key={i}>
                  <code>{p.path || t("wholeFile")}</code>: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <h2>{t("templates")}</h2>
      <div className="grid">
        {templates.map((tpl) => (
          <Form method="post" key={tpl.id} className="card template-card">
            <CsrfField />
            <input type="hidden" name="intent" value="template" />
            <input type="hidden" name="templateId" value={tpl.id} />
            <h3>{tpl.name}</h3>
            <p>{tpl.summary}</p>
            <p className="muted">{t("templateFacts", { questions: tpl.questions, indicators: tpl.indicators, languages: tpl.languages.join(", ") })}</p>
            <button type="submit" className="primary" disabled={busy}>
              {t("useTemplate")}
            </button>
          </Form>
        ))}
      </div>
      <div className="grid">
        <section className="card">
          <h2>{t("copyHeading")}</h2>
          {surveys.length === 0 ? (
            <p className="empty">{t("noSurveys")}</p>
          ) : (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="copy" />
              <div className="field">
                <label htmlFor="copy-survey">{t("survey")}</label>
                <select id="copy-survey" name="surveyId">
                  {surveys.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title} ({s.programme})
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="secondary" disabled={busy}>
                {t("copy")}
              </button>
            </Form>
          )}
        </section>
        <section className="card">
          <h2>{t("xlsformHeading")}</h2>
          <p className="muted">{t("xlsformLede")}</p>
          <Form method="post" encType="multipart/form-data">
            <CsrfField />
            <input type="hidden" name="intent" value="xlsform" />
            <div className="field">
              <label htmlFor="xlsform-file">{t("xlsformFile")}</label>
              <input id="xlsform-file" type="file" name="file" accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              {t("readForm")}
            </button>
          </Form>
        </section>
        <section className="card">
          <h2>{t("importHeading")}</h2>
          <p className="muted">{t("importLede")}</p>
          <Form method="post" encType="multipart/form-data">
            <CsrfField />
            <input type="hidden" name="intent" value="import" />
            <div className="field">
              <label htmlFor="import-file">{t("jsonFile")}</label>
              <input id="import-file" type="file" name="file" accept="application/json,.json" />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              {t("import")}
            </button>
          </Form>
        </section>
        <section className="card">
          <h2>{t("blankHeading")}</h2>
          <p className="muted">{t("blankLede")}</p>
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="blank" />
            <button type="submit" className="secondary" disabled={busy}>
              {t("startBlank")}
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
