// What an XLSForm import will make, and what it could not keep (by sheet, row and column): the
// facilitator reads it, picks suggested indicators, and creates the draft or goes back.
import { Form, Link } from "@remix-run/react";
import type { XlsformImport } from "~/xlsform/import";
import { CsrfField, Notice } from "./forms";
import type { Translate } from "~/i18n/core";
import type { NewSurveyWords } from "~/i18n/staff/new-survey";

/** `t`: the new-survey page's words. */
export function XlsformReport(props: { fileName: string; result: XlsformImport; busy: boolean; t: Translate<NewSurveyWords> }) {
  const { t } = props;
  const { definition: def, report, suggestions } = props.result;
  const lang = def.defaultLanguage;
  const counts = new Map<string, number>();
  for (const r of report) counts.set(r.done, (counts.get(r.done) ?? 0) + 1);
  const asked = def.questions.filter((q) => q.type !== "info").length;
  const conditional = def.questions.filter((q) => q.showIf).length;
  const constrained = def.questions.filter((q) => q.constraint).length;
  return (
    <>
      <h1>{t("fromXlsform", { title: def.title[lang] ?? "" })}</h1>
      <p className="lede">
        <BoldFile
          text={t("becomes", {
            n: asked,
            conditional,
            constrained,
            languages: def.languages.map((l) => `${l.name} (${l.code})`).join(", "),
          })}
          file={props.fileName}
        />
      </p>
      {report.length === 0 ? (
        <Notice kind="success">
          <p>{t("allKept")}</p>
        </Notice>
      ) : (
        <section aria-labelledby="xlsform-report">
          <h2 id="xlsform-report">{t("notKept", { n: report.length })}</h2>
          <ul className="report-counts">
            {[...counts].map(([done, n]) => (
              <li key={done}>
                <strong>{n}</strong> {t(`done.${done}` as keyof NewSurveyWords)}
              </li>
            ))}
          </ul>
          <div className="table-wrap report-table" tabIndex={0} role="region" aria-label={t("notKeptRows")}>
            <table className="data xlsform-report">
              <thead>
                <tr>
                  <th scope="col">{t("sheet")}</th>
                  <th scope="col">{t("row")}</th>
                  <th scope="col">{t("column")}</th>
                  <th scope="col">{t("what")}</th>
                  <th scope="col">{t("done")}</th>
                </tr>
              </thead>
              <tbody>
                {report.map((r, i) => (
                  <tr key={i} className={`done-${r.done.replace(/\s+/g, "-")}`}>
                    <td>{r.sheet}</td>
                    <td>{r.row ?? "—"}</td>
                    <td>{r.column ? <code>{r.column}</code> : "—"}</td>
                    <td>{r.what}</td>
                    <td>{t(`done.${r.done}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <Form method="post" className="card">
        <CsrfField />
        <input type="hidden" name="intent" value="xlsform-create" />
        <input type="hidden" name="definition" value={JSON.stringify(def)} />
        <input type="hidden" name="suggestions" value={JSON.stringify(suggestions)} />
        {suggestions.length ? (
          <fieldset>
            <legend>{t("scales")}</legend>
            {suggestions.map((s) => (
              <div className="field checkbox-field" key={s.id}>
                <label>
                  <input type="checkbox" name="indicator" value={s.id} defaultChecked />{" "}
                  <span>
                    {s.label[lang]}
                    {s.reference ? ` (${s.reference})` : ""}: {t("countsCodes", { codes: s.kind === "share" ? s.codes.join(", ") : "", question: s.question })}
                  </span>
                </label>
              </div>
            ))}
          </fieldset>
        ) : (
          <p className="muted">{t("noScale")}</p>
        )}
        <p>
          <button type="submit" className="primary" disabled={props.busy}>
            {t("createAnyway")}
          </button>{" "}
          <Link to="." className="button secondary">
            {t("dontCreate")}
          </Link>
        </p>
      </Form>
    </>
  );
}

/** The report's opening sentence with the file's name in bold, wherever the language puts it. */
function BoldFile({ text, file }: { text: string; file: string }) {
  const [before, ...after] = text.split("{file}");
  return (
    <>
      {before}
      {after.length ? <strong>{file}</strong> : null}
      {after.join("{file}")}
    </>
  );
}
