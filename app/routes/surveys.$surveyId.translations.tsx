// Translations of a survey, language by language: progress, what needs review since the source
// changed, the translator's file (CSV or .xlsx) to download, and its upload back (a dry run first).
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm } from "~/auth.server";
import { saveDraft } from "~/models/surveys.server";
import { getMarks, recordMarks } from "~/models/translations.server";
import { applyFills, planUpload, translatableTexts, translationRows, type UploadPlan } from "~/translation/texts";
import { readTranslationFile, TranslationFileError } from "~/translation/file.server";
import { CsrfField, Notice } from "~/ui/forms";
import { languageOf, surveyAndDraft } from "~/translation/access.server";
import { refuse } from "~/refusal.server";

export const meta: MetaFunction = () => [{ title: "Translations · Safety perception surveys" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey, def } = await surveyAndDraft(request, context, params.surveyId!);
  const languages: PageLanguage[] = [];
  for (const l of def.languages) {
    if (l.code === def.defaultLanguage) continue;
    const rows = translationRows(def, l.code, await getMarks(context.db, survey.id, l.code));
    languages.push({
      ...l,
      total: rows.length,
      missing: rows.filter((r) => r.status === "missing").length,
      review: rows.filter((r) => r.status === "needs review").map((r) => ({ key: r.key, what: r.what, source: r.source, target: r.target })),
    });
  }
  const source = def.languages.find((l) => l.code === def.defaultLanguage)!;
  return { survey: { id: survey.id, title: survey.title }, source, languages };
}

interface PageLanguage {
  code: string;
  name: string;
  direction: "ltr" | "rtl";
  total: number;
  missing: number;
  review: { key: string; what: string; source: string; target: string }[];
}
interface PageData {
  survey: { id: string; title: string };
  source: { code: string; name: string };
  languages: PageLanguage[];
}

const FillsSchema = z.array(z.strictObject({ key: z.string(), target: z.string().max(10_000), source: z.string() }));

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey, def } = await surveyAndDraft(request, context, params.surveyId!);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  const lang = languageOf(def, String(form.get("lang") ?? ""));
  const sources = new Map(translatableTexts(def).map((t) => [t.key, t.text[def.defaultLanguage] ?? ""]));
  if (intent === "upload") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data({ intent, lang: lang.code, error: "Choose the translated file (CSV or .xlsx)." }, { status: 400 });
    try {
      const rows = await readTranslationFile(new Uint8Array(await file.arrayBuffer()));
      return { intent, lang: lang.code, fileName: file.name, plan: planUpload(def, lang.code, rows) };
    } catch (e) {
      if (e instanceof TranslationFileError) return data({ intent, lang: lang.code, error: e.message }, { status: 400 });
      return data({ intent, lang: lang.code, error: "This file cannot be read as CSV or .xlsx." }, { status: 400 });
    }
  }
  if (intent === "apply") {
    let raw: unknown;
    try {
      raw = JSON.parse(String(form.get("fills") ?? ""));
    } catch {
      raw = undefined;
    }
    const fills = FillsSchema.safeParse(raw);
    if (!fills.success) return data({ intent, lang: lang.code, error: "The checked file was lost: upload it again." }, { status: 400 });
    const known = fills.data.filter((f) => sources.has(f.key));
    await saveDraft(context.db, survey.id, applyFills(def, lang.code, known), viewer.id);
    // Marked as translated from today's source, whatever the file's source column said.
    await recordMarks(context.db, survey.id, lang.code, known.map((f) => ({ key: f.key, source: sources.get(f.key)! })));
    return { intent, lang: lang.code, applied: known.length };
  }
  if (intent === "confirm") {
    const key = String(form.get("key") ?? "");
    if (!sources.has(key)) return data({ intent, lang: lang.code, error: `There is no text "${key}" in this survey.` }, { status: 400 });
    await recordMarks(context.db, survey.id, lang.code, [{ key, source: sources.get(key)! }]);
    return { intent, lang: lang.code, confirmed: key };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function Translations() {
  // The loader answers downloads with a file; the page itself always gets PageData.
  const { survey, source, languages } = useLoaderData<typeof loader>() as unknown as PageData;
  const result = useActionData<typeof action>() as
    | { intent: string; lang: string; error?: string; fileName?: string; plan?: UploadPlan; applied?: number; confirmed?: string }
    | undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="breadcrumbs">
        <Link to={`/surveys/${survey.id}`}>{survey.title}</Link> ›
      </p>
      <h1>Translations</h1>
      <p className="lede">
        Texts are written in {source.name} ({source.code}). Give a translator the file for their language, and upload it back: you see what it changes before
        anything is saved. When the {source.name} wording changes, the translation is marked "needs review" until it is edited or confirmed.
      </p>
      {result?.error ? (
        <Notice kind="error">
          <p>{result.error}</p>
        </Notice>
      ) : null}
      {result?.applied !== undefined ? (
        <Notice kind="success">
          <p>
            {result.applied} text(s) saved in {result.lang} to the draft.
          </p>
        </Notice>
      ) : null}
      {languages.length === 0 ? <p className="empty">The survey has one language. Add languages in the editor.</p> : null}
      {languages.map((l) => (
        <section className="card translation-language" key={l.code} aria-labelledby={`lang-${l.code}`}>
          <h2 id={`lang-${l.code}`} lang={l.code} dir={l.direction}>
            {l.name} <span className="muted">({l.code})</span>
          </h2>
          <p>
            <strong>{l.total - l.missing}</strong> of {l.total} texts translated · <strong>{l.missing}</strong> missing · <strong>{l.review.length}</strong> need review
          </p>
          <p>
            <a className="button secondary" href={`/surveys/${survey.id}/translation-file?format=xlsx&lang=${l.code}`} download>
              Translator's file (.xlsx)
            </a>{" "}
            <a className="button secondary" href={`/surveys/${survey.id}/translation-file?format=csv&lang=${l.code}`} download>
              CSV
            </a>
          </p>
          <Form method="post" encType="multipart/form-data">
            <CsrfField />
            <input type="hidden" name="intent" value="upload" />
            <input type="hidden" name="lang" value={l.code} />
            <div className="field">
              <label htmlFor={`file-${l.code}`}>Translated file for {l.name}</label>
              <input id={`file-${l.code}`} type="file" name="file" accept=".csv,.xlsx,text/csv" />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              Check the file
            </button>
          </Form>
          {result?.plan && result.lang === l.code ? <DryRun plan={result.plan} lang={l.code} fileName={result.fileName ?? ""} busy={busy} /> : null}
          {l.review.length ? (
            <>
              <h3>Needs review</h3>
              <div className="table-wrap" tabIndex={0} role="region" aria-label={`${l.name} translations that need review`}>
                <table className="data needs-review">
                  <thead>
                    <tr>
                      <th scope="col">Text</th>
                      <th scope="col">{source.name} now</th>
                      <th scope="col">{l.name}</th>
                      <th scope="col">
                        <span className="visually-hidden">Action</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {l.review.map((r) => (
                      <tr key={r.key}>
                        <td>{r.what}</td>
                        <td>{r.source}</td>
                        <td lang={l.code} dir={l.direction}>
                          {r.target}
                        </td>
                        <td>
                          <Form method="post">
                            <CsrfField />
                            <input type="hidden" name="intent" value="confirm" />
                            <input type="hidden" name="lang" value={l.code} />
                            <input type="hidden" name="key" value={r.key} />
                            <button type="submit" className="link-button" disabled={busy}>
                              Still right
                            </button>
                          </Form>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </section>
      ))}
    </>
  );
}

function DryRun(props: { plan: UploadPlan; lang: string; fileName: string; busy: boolean }) {
  const { plan } = props;
  return (
    <div className="dry-run" role="status">
      <p>
        <strong>{props.fileName}</strong>: <strong>{plan.fills.length - plan.unchanged}</strong> text(s) to change, <strong>{plan.unchanged}</strong> unchanged,{" "}
        <strong>{plan.emptyCells.length}</strong> empty, <strong>{plan.unknownKeys.length}</strong> unknown key(s).
      </p>
      {plan.unknownKeys.length ? (
        <p>
          Unknown keys (left out): {plan.unknownKeys.map((u) => `row ${u.row} "${u.key}"`).join(", ")}.
        </p>
      ) : null}
      {plan.emptyCells.length ? <p>Empty target cells (left as they are): rows {plan.emptyCells.map((u) => u.row).join(", ")}.</p> : null}
      {plan.staleSource.length ? <p>Translated from an older wording (check them): rows {plan.staleSource.map((u) => u.row).join(", ")}.</p> : null}
      {plan.fills.length ? (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="lang" value={props.lang} />
          <input type="hidden" name="fills" value={JSON.stringify(plan.fills)} />
          <button type="submit" className="primary" disabled={props.busy}>
            Save these translations
          </button>
        </Form>
      ) : null}
    </div>
  );
}
