// The survey's languages: add any language (searchable list with names in their own script, or a
// typed BCP 47 code; direction from the script), remove, choose the default.
import { useEffect, useState } from "react";
import type { Language } from "~/survey";
import { allLanguages, englishName, languageFromInput } from "~/survey/languages";
import { useEditorWords } from "./words";

export const KNOWN_LANGUAGES: Language[] = [
  { code: "en", name: "English", direction: "ltr" },
  { code: "fr", name: "Français", direction: "ltr" },
  { code: "ar", name: "العربية", direction: "rtl" },
  { code: "so", name: "Soomaali", direction: "ltr" },
  { code: "sw", name: "Kiswahili", direction: "ltr" },
  { code: "ne", name: "नेपाली", direction: "ltr" },
  { code: "am", name: "አማርኛ", direction: "ltr" },
  { code: "ps", name: "پښتو", direction: "rtl" },
  { code: "fa", name: "فارسی", direction: "rtl" },
  { code: "ur", name: "اردو", direction: "rtl" },
  { code: "es", name: "Español", direction: "ltr" },
  { code: "pt", name: "Português", direction: "ltr" },
];

export function LanguagesEditor(props: {
  languages: Language[];
  defaultLanguage: string;
  onChange: (languages: Language[], defaultLanguage: string) => void;
}) {
  const { t } = useEditorWords();
  const { languages, defaultLanguage } = props;
  return (
    <div className="languages-editor">
      <ul className="member-list">
        {languages.map((l) => (
          <li key={l.code}>
            <span lang={l.code} dir={l.direction}>
              <strong>{l.name}</strong> <span className="muted">({l.code}{l.direction === "rtl" ? `, ${t("rightToLeft")}` : ""})</span>
            </span>
            <span className="actions">
              <label className="radio">
                <input type="radio" name="default-language" checked={l.code === defaultLanguage} onChange={() => props.onChange(languages, l.code)} /> {t("defaultLanguage")}
              </label>
              {l.code !== defaultLanguage ? (
                <button type="button" className="danger small" onClick={() => props.onChange(languages.filter((x) => x.code !== l.code), defaultLanguage)}>
                  {t("remove")}
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <AddLanguage languages={languages} onAdd={(lang) => props.onChange([...languages, lang], defaultLanguage)} />
    </div>
  );
}

function AddLanguage(props: { languages: Language[]; onAdd: (l: Language) => void }) {
  const { t } = useEditorWords();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  // The full list comes from the browser's Intl after hydration (server and browser names may differ).
  const [known, setKnown] = useState<Language[]>(KNOWN_LANGUAGES);
  useEffect(() => setKnown(allLanguages()), []);
  const add = () => {
    const lang = languageFromInput(text, known);
    if (!lang) return setError(t("notALanguage", { text }));
    if (props.languages.some((l) => l.code === lang.code)) return setError(t("languageAlreadyThere", { name: lang.name, code: lang.code }));
    props.onAdd(lang);
    setText("");
    setError(null);
  };
  return (
    <div className="field inline-field">
      <label htmlFor="add-language">{t("addLanguage")}</label>
      <input
        id="add-language"
        list="all-languages"
        value={text}
        placeholder={t("addLanguagePlaceholder")}
        aria-describedby="add-language-hint"
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            add();
          }
        }}
      />
      <datalist id="all-languages">
        {known
          .filter((k) => !props.languages.some((l) => l.code === k.code))
          .map((l) => (
            <option key={l.code} value={l.code}>
              {l.name} · {englishName(l.code) ?? l.code}
            </option>
          ))}
      </datalist>
      <button type="button" className="secondary small" onClick={add}>
        {t("add")}
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="hint" id="add-language-hint">
        {t("addLanguageHint")}
      </p>
    </div>
  );
}
