// A community's or round's names in other languages, edited on the programme page: one line per
// language ("ar: كيبيرا"). The feedback page shows them to the community in its language.
import { Form } from "@remix-run/react";
import { CsrfField } from "./forms";
import { translationsText, type NameTranslations } from "~/models/name-translations";

export function NameTranslationsForm(props: {
  /** The page's words for the form, in its language. */
  words: { summary: string; hint: string; save: string; label: (name: string) => string };
  kind: "communities" | "rounds";
  id: string;
  name: string;
  translations: NameTranslations;
  error?: string;
  busy: boolean;
}) {
  const field = `names-${props.id}`;
  const shown = Object.entries(props.translations);
  return (
    <details className="name-translations" open={props.error ? true : undefined}>
      <summary>{shown.length ? shown.map(([code, name]) => `${name} (${code})`).join(" · ") : props.words.summary}</summary>
      <Form method="post">
        <CsrfField />
        <input type="hidden" name="intent" value="set-names" />
        <input type="hidden" name="kind" value={props.kind} />
        <input type="hidden" name="id" value={props.id} />
        <div className={`field${props.error ? " has-error" : ""}`}>
          <label htmlFor={field}>{props.words.label(props.name)}</label>
          <textarea
            id={field}
            name="translations"
            rows={3}
            dir="auto"
            defaultValue={translationsText(props.translations)}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={`${field}-hint${props.error ? ` ${field}-error` : ""}`}
          />
          <p className="hint" id={`${field}-hint`}>
            {props.words.hint}
          </p>
          {props.error ? (
            <p className="error" id={`${field}-error`} role="alert">
              {props.error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="secondary small" disabled={props.busy}>
          {props.words.save}
        </button>
      </Form>
    </details>
  );
}
