// What an XLSForm import will make, and what it could not keep (by sheet, row and column): the
// facilitator reads it, picks suggested indicators, and creates the draft or goes back.
import { Form, Link } from "@remix-run/react";
import type { XlsformImport } from "~/xlsform/import";
import { CsrfField, Notice } from "./forms";

export function XlsformReport(props: { fileName: string; result: XlsformImport; busy: boolean }) {
  const { definition: def, report, suggestions } = props.result;
  const lang = def.defaultLanguage;
  const counts = new Map<string, number>();
  for (const r of report) counts.set(r.done, (counts.get(r.done) ?? 0) + 1);
  const asked = def.questions.filter((q) => q.type !== "info").length;
  const conditional = def.questions.filter((q) => q.showIf).length;
  const constrained = def.questions.filter((q) => q.constraint).length;
  return (
    <>
      <h1>From an XLSForm: {def.title[lang]}</h1>
      <p className="lede">
        <strong>{props.fileName}</strong> becomes a draft with {asked} questions ({conditional} shown by a condition, {constrained} with a constraint) in{" "}
        {def.languages.map((l) => `${l.name} (${l.code})`).join(", ")}. Names and option codes are kept exactly as the form has them, so data collected with it imports
        against the survey.
      </p>
      {report.length === 0 ? (
        <Notice kind="success">
          <p>Everything in the form is kept.</p>
        </Notice>
      ) : (
        <section aria-labelledby="xlsform-report">
          <h2 id="xlsform-report">What the survey does not keep as it is ({report.length})</h2>
          <ul className="report-counts">
            {[...counts].map(([done, n]) => (
              <li key={done}>
                <strong>{n}</strong> {done}
              </li>
            ))}
          </ul>
          <div className="table-wrap report-table" tabIndex={0} role="region" aria-label="What the survey does not keep, row by row">
            <table className="data xlsform-report">
              <thead>
                <tr>
                  <th scope="col">Sheet</th>
                  <th scope="col">Row</th>
                  <th scope="col">Column</th>
                  <th scope="col">What</th>
                  <th scope="col">Done</th>
                </tr>
              </thead>
              <tbody>
                {report.map((r, i) => (
                  <tr key={i} className={`done-${r.done.replace(/\s+/g, "-")}`}>
                    <td>{r.sheet}</td>
                    <td>{r.row ?? "—"}</td>
                    <td>{r.column ? <code>{r.column}</code> : "—"}</td>
                    <td>{r.what}</td>
                    <td>{r.done}</td>
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
            <legend>Indicators for the scales recognised</legend>
            {suggestions.map((s) => (
              <div className="field checkbox-field" key={s.id}>
                <label>
                  <input type="checkbox" name="indicator" value={s.id} defaultChecked />{" "}
                  <span>
                    {s.label[lang]}
                    {s.reference ? ` (${s.reference})` : ""}: counts codes {s.kind === "share" ? s.codes.join(", ") : ""} of question {s.question}
                  </span>
                </label>
              </div>
            ))}
          </fieldset>
        ) : (
          <p className="muted">No recognised scale: mark indicators in the editor after the import.</p>
        )}
        <p>
          <button type="submit" className="primary" disabled={props.busy}>
            Create the draft anyway
          </button>{" "}
          <Link to="." className="button secondary">
            Don't create it
          </Link>
        </p>
      </Form>
    </>
  );
}
