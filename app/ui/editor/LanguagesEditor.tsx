// The survey's languages: add any language (searchable list with names in their own script, or a
// typed BCP 47 code; direction from the script), remove, choose the default.
import { useEffect, useState } from "react";
import type { Language } from "~/survey";
import { allLanguages, englishName, languageFromInput } from "~/survey/languages";

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
  const { languages, defaultLanguage } = props;
  return (
    <div className="languages-editor">
      <ul className="member-list">
        {languages.map((l) => (
          <li key={l.code}>
            <span lang={l.code} dir={l.direction}>
              <strong>{l.name}</strong> <span className="muted">({l.code}{l.direction === "rtl" ? ", right to left" : ""})</span>
            </span>
            <span className="actions">
              <label className="radio">
                <input type="radio" name="default-language" checked={l.code === defaultLanguage} onChange={() => props.onChange(languages, l.code)} /> default
              </label>
              {l.code !== defaultLanguage ? (
                <button type="button" className="danger small" onClick={() => props.onChange(languages.filter((x) => x.code !== l.code), defaultLanguage)}>
                  Remove
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
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  // The full list comes from the browser's Intl after hydration (server and browser names may differ).
  const [known, setKnown] = useState<Language[]>(KNOWN_LANGUAGES);
  useEffect(() => setKnown(allLanguages()), []);
  const add = () => {
    const lang = languageFromInput(text, known);
    if (!lang) return setError(`"${text}" is not a language code (such as so, ymm or ku-Arab) or a language name in the list.`);
    if (props.languages.some((l) => l.code === lang.code)) return setError(`${lang.name} (${lang.code}) is already a language of this survey.`);
    props.onAdd(lang);
    setText("");
    setError(null);
  };
  return (
    <div className="field inline-field">
      <label htmlFor="add-language">Add a language</label>
      <input
        id="add-language"
        list="all-languages"
        value={text}
        placeholder="Name or code: Soomaali, Oromo, ti, ckb…"
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
        Add
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="hint" id="add-language-hint">
        Any language: pick from the list (names in their own script) or type its code. Right to left is known from its script. Every text then needs a
        translation: missing ones are flagged in yellow.
      </p>
    </div>
  );
}
