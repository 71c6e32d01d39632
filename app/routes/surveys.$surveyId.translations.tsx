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
import { wordsFor } from "~/i18n/staff.server";
import { translations as translationsWords, type TranslationsWords } from "~/i18n/staff/translations";
import { useWords } from "~/i18n/staff";
import type { Translate } from "~/i18n/core";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: (data as unknown as PageData | undefined)?.words?.pageTitle ?? "Translations" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey, def } = await surveyAndDraft(request, context, params.surveyId!);
  const { words } = await wordsFor(context.db, request, viewer.id, translationsWords);
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
  return { survey: { id: survey.id, title: survey.title }, source, languages, words };
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
  words: TranslationsWords;
}

const FillsSchema = z.array(z.strictObject({ key: z.string(), target: z.string().max(10_000), source: z.string() }));

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey, def } = await surveyAndDraft(request, context, params.surveyId!);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  const { t } = await wordsFor(context.db, request, viewer.id, translationsWords);
  const lang = languageOf(def, String(form.get("lang") ?? ""));
  const sources = new Map(translatableTexts(def).map((t) => [t.key, t.text[def.defaultLanguage] ?? ""]));
  if (intent === "upload") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data({ intent, lang: lang.code, error: t("chooseFile") }, { status: 400 });
    try {
      const rows = await readTranslationFile(new Uint8Array(await file.arrayBuffer()));
      return { intent, lang: lang.code, fileName: file.name, plan: planUpload(def, lang.code, rows) };
    } catch (e) {
      if (e instanceof TranslationFileError) return data({ intent, lang: lang.code, error: e.message }, { status: 400 });
      return data({ intent, lang: lang.code, error: t("unreadable") }, { status: 400 });
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
    if (!fills.success) return data({ intent, lang: lang.code, error: t("lost") }, { status: 400 });
    const known = fills.data.filter((f) => sources.has(f.key));
    await saveDraft(context.db, survey.id, applyFills(def, lang.code, known), viewer.id);
    // Marked as translated from today's source, whatever the file's source column said.
    await recordMarks(context.db, survey.id, lang.code, known.map((f) => ({ key: f.key, source: sources.get(f.key)! })));
    return { intent, lang: lang.code, applied: known.length };
  }
  if (intent === "confirm") {
    const key = String(form.get("key") ?? "");
    if (!sources.has(key)) return data({ intent, lang: lang.code, error: t("noText", { key }) }, { status: 400 });
    await recordMarks(context.db, survey.id, lang.code, [{ key, source: sources.get(key)! }]);
    return { intent, lang: lang.code, confirmed: key };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function Translations() {
  // The loader answers downloads with a file; the page itself always gets PageData.
  const { survey, source, languages, words } = useLoaderData<typeof loader>() as unknown as PageData;
  const t = useWords(words);
  const result = useActionData<typeof action>() as
    | { intent: string; lang: string; error?: string; fileName?: string; plan?: UploadPlan; applied?: number; confirmed?: string }
    | undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="breadcrumbs">
        <Link to={`/surveys/${survey.id}`}>{survey.title}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede", { source: source.name, code: source.code })}</p>
      {result?.error ? (
        <Notice kind="error">
          <p>{result.error}</p>
        </Notice>
      ) : null}
      {result?.applied !== undefined ? (
        <Notice kind="success">
          <p>{t("saved", { n: result.applied, lang: result.lang })}</p>
        </Notice>
      ) : null}
      {languages.length === 0 ? <p className="empty">{t("oneLanguage")}</p> : null}
      {languages.map((l) => (
        <section className="card translation-language" key={l.code} aria-labelledby={`lang-${l.code}`}>
          <h2 id={`lang-${l.code}`} lang={l.code} dir={l.direction}>
            {l.name} <span className="muted">({l.code})</span>
          </h2>
          <p>
            {t("progress", { done: l.total - l.missing, total: l.total, missing: l.missing, review: l.review.length })}
          </p>
          <p>
            <a className="button secondary" href={`/surveys/${survey.id}/translation-file?format=xlsx&lang=${l.code}`} download>
              {t("translatorFile")}
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
              <label htmlFor={`file-${l.code}`}>{t("translatedFileFor", { language: l.name })}</label>
              <input id={`file-${l.code}`} type="file" name="file" accept=".csv,.xlsx,text/csv" />
            </div>
            <button type="submit" className="secondary" disabled={busy}>
              {t("checkFile")}
            </button>
          </Form>
          {result?.plan && result.lang === l.code ? <DryRun plan={result.plan} lang={l.code} fileName={result.fileName ?? ""} busy={busy} t={t} /> : null}
          {l.review.length ? (
            <>
              <h3>{t("needsReview")}</h3>
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t("needsReviewOf", { language: l.name })}>
                <table className="data needs-review">
                  <thead>
                    <tr>
                      <th scope="col">{t("text")}</th>
                      <th scope="col">{t("sourceNow", { source: source.name })}</th>
                      <th scope="col">{l.name}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t("action")}</span>
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
                              {t("stillRight")}
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

function DryRun(props: { plan: UploadPlan; lang: string; fileName: string; busy: boolean; t: Translate<TranslationsWords> }) {
  const { plan, t } = props;
  return (
    <div className="dry-run" role="status">
      <p>
        <strong>{props.fileName}</strong>:{" "}
        {t("dryRun", {
          toChange: t("toChange", { n: plan.fills.length - plan.unchanged }),
          unchanged: plan.unchanged,
          empty: plan.emptyCells.length,
          unknown: plan.unknownKeys.length,
        })}
      </p>
      {plan.unknownKeys.length ? (
        <p>{t("unknownKeys", { list: plan.unknownKeys.map((u) => t("unknownKey", { row: u.row, key: u.key })).join(", ") })}</p>
      ) : null}
      {plan.emptyCells.length ? <p>{t("emptyCells", { rows: plan.emptyCells.map((u) => u.row).join(", ") })}</p> : null}
      {plan.staleSource.length ? <p>{t("staleSource", { rows: plan.staleSource.map((u) => u.row).join(", ") })}</p> : null}
      {plan.fills.length ? (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="lang" value={props.lang} />
          <input type="hidden" name="fills" value={JSON.stringify(plan.fills)} />
          <button type="submit" className="primary" disabled={props.busy}>
            {t("save")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
