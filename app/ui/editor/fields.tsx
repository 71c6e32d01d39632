// Editor inputs: text in every language side by side, with missing translations flagged.
import type { Language, LocalizedText } from "~/survey";
import { fieldId, type ErrorIndex, type Path } from "./paths";
import { useEditorWords } from "./words";

export function FieldErrors({ errors, path }: { errors: ErrorIndex; path: Path }) {
  const messages = errors.at(path);
  if (!messages.length) return null;
  return (
    <p className="error" role="alert">
      {messages.join(" ")}
    </p>
  );
}

export function LocalizedFields(props: {
  label: string;
  value: LocalizedText | undefined;
  languages: Language[];
  path: Path;
  errors: ErrorIndex;
  onChange: (value: LocalizedText) => void;
  multiline?: boolean;
  hint?: string;
}) {
  const { t } = useEditorWords();
  const { value = {}, languages, path, errors } = props;
  return (
    <fieldset className="loc">
      <legend>{props.label}</legend>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      <div className="loc-grid">
        {languages.map((lang) => {
          const p = [...path, lang.code];
          const missing = !(value[lang.code] ?? "").trim();
          const id = fieldId(p);
          const common = {
            id,
            lang: lang.code,
            dir: lang.direction,
            value: value[lang.code] ?? "",
            "aria-invalid": errors.at(p).length ? true : undefined,
            onChange: (e: { target: { value: string } }) => props.onChange({ ...value, [lang.code]: e.target.value }),
          };
          return (
            <div key={lang.code} className={`loc-field${missing ? " missing" : ""}`}>
              <label htmlFor={id}>
                <span lang={lang.code} dir={lang.direction}>
                  {lang.name}
                </span>{" "}
                {missing ? <span className="tag warn">{t("missing")}</span> : null}
              </label>
              {props.multiline ? <textarea rows={3} {...common} /> : <input {...common} />}
              <FieldErrors errors={errors} path={p} />
            </div>
          );
        })}
      </div>
      <FieldErrors errors={errors} path={path} />
    </fieldset>
  );
}
