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

export const meta: MetaFunction = () => [{ title: "New survey · Safety perception surveys" }];

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
  return { programme, templates, surveys };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, programme } = await authorOf(request, context, params.programmeId!);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  let definition: unknown;
  if (intent === "template") {
    const template = getTemplate(String(form.get("templateId")));
    if (!template) return data({ intent, error: "Choose one of the templates." }, { status: 400 });
    definition = structuredClone(template.definition);
    delete (definition as { template?: unknown }).template;
  } else if (intent === "copy") {
    const source = await getSurvey(context.db, viewer, String(form.get("surveyId")));
    if (!source) return data({ intent, error: "Choose a survey to copy." }, { status: 400 });
    definition = await draftOrLatest(context.db, source);
  } else if (intent === "blank") {
    definition = blankDefinition();
  } else if (intent === "xlsform") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data({ intent, error: "Choose an XLSForm (.xlsx) file to import." }, { status: 400 });
    if (file.size > 3_000_000) return data({ intent, error: "This file is over 3 MB: an XLSForm is much smaller (remove embedded pictures or extra sheets)." }, { status: 400 });
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
    if (!parsed.success) return data({ intent, error: "The imported survey was lost or altered: upload the XLSForm again." }, { status: 400 });
    const offered = IndicatorSchema.array().safeParse(jsonField(form.get("suggestions")));
    const chosen = new Set(form.getAll("indicator").map(String));
    definition = { ...parsed.data, indicators: [...parsed.data.indicators, ...(offered.success ? offered.data.filter((i) => chosen.has(i.id)) : [])] };
  } else if (intent === "import") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data({ intent, error: "Choose a JSON file to import." }, { status: 400 });
    if (file.size > 2_000_000) return data({ intent, error: "This file is over 2 MB: a survey definition is much smaller." }, { status: 400 });
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (e) {
      return data({ intent, error: `This file is not valid JSON: ${e instanceof Error ? e.message : String(e)}` }, { status: 400 });
    }
    const checked = validateDefinition(parsed);
    if (!checked.ok)
      return data(
        { intent, error: `This survey definition cannot be imported: ${checked.errors.length} problem(s) to fix.`, problems: checked.errors },
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
  const { programme, templates, surveys } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const problems = (result && "problems" in result ? result.problems : []) as ValidationError[];
  if (result && "xlsform" in result && result.xlsform) {
    return (
      <>
        <p className="breadcrumbs">
          <Link to="/">Programmes</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> › <Link to={`/programmes/${programme.id}/surveys/new`}>New survey</Link> ›
        </p>
        <XlsformReport fileName={result.fileName} result={result.xlsform as XlsformImport} busy={busy} />
      </>
    );
  }
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">Programmes</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> ›
      </p>
      <h1>New survey</h1>
      <p className="lede">Start from a ready template and adapt it: most programmes field a sound survey in minutes.</p>
      {result && "error" in result ? (
        <Notice kind="error">
          <p>{result.error}</p>
          {problems.length ? (
            <ul className="problems">
              {problems.slice(0, 50).map((p, i) => (
                <li key={i}>
                  <code>{p.path || "(whole file)"}</code>: {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <h2>Templates</h2>
      <div className="grid">
        {templates.map((t) => (
          <Form method="post" key={t.id} className="card template-card">
            <CsrfField />
            <input type="hidden" name="intent" value="template" />
            <input type="hidden" name="templateId" value={t.id} />
            <h3>{t.name}</h3>
            <p>{t.summary}</p>
            <p className="muted">
              {t.questions} questions · {t.indicators} indicators · {t.languages.join(", ")}
            </p>
            <button type="submit" className="primary" disabled={busy}>
              Use this template
            </button>
          </Form>
        ))}
      </div>
      <div className="grid">
        <section className="card">
          <h2>Copy a survey</h2>
          {surveys.length === 0 ? (
            <p className="empty">No surveys to copy yet.</p>
          ) : (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="copy" />
              <div className="field">
                <label htmlFor="copy-survey">Survey</label>
                <select id="copy-survey" name="surveyId">
                  {surveys.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title} ({s.programme})
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="secondary" disabled={busy}>
                Copy
              </button>
            </Form>
          )}
        </section>
        <section className="card">
          <h2>From an XLSForm</h2>
          <p className="muted">A KoboToolbox, ODK or SurveyCTO form (.xlsx). You see what it holds before the survey is made.</p>
          <Form method="post" encType="multipart/form-data">
            <CsrfField />
            <input type="hidden" name="intent" value="xlsform" />
            <div className="field">
              <label htmlFor="xlsform-file">XLSForm file</label>
              <input id="xlsform-file" type="file" name="file" accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              Read the form
            </button>
          </Form>
        </section>
        <section className="card">
          <h2>Import a survey file</h2>
          <p className="muted">A survey exported from this platform as JSON, shared by another programme or city.</p>
          <Form method="post" encType="multipart/form-data">
            <CsrfField />
            <input type="hidden" name="intent" value="import" />
            <div className="field">
              <label htmlFor="import-file">JSON file</label>
              <input id="import-file" type="file" name="file" accept="application/json,.json" />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              Import
            </button>
          </Form>
        </section>
        <section className="card">
          <h2>Blank survey</h2>
          <p className="muted">Start from nothing, in English; add languages and questions in the editor.</p>
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="blank" />
            <button type="submit" className="secondary" disabled={busy}>
              Start blank
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
