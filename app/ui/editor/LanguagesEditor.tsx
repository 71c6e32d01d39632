// The survey's languages: add from a list of common ones (names in their own script), remove, default.
import type { Language } from "~/survey";

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
  const available = KNOWN_LANGUAGES.filter((k) => !languages.some((l) => l.code === k.code));
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
      {available.length ? (
        <div className="field inline-field">
          <label htmlFor="add-language">Add a language</label>
          <select
            id="add-language"
            value=""
            onChange={(e) => {
              const lang = KNOWN_LANGUAGES.find((k) => k.code === e.target.value);
              if (lang) props.onChange([...languages, lang], defaultLanguage);
            }}
          >
            <option value="">Choose…</option>
            {available.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name} ({l.code})
              </option>
            ))}
          </select>
          <p className="hint">Every text then needs a translation: missing ones are flagged in yellow.</p>
        </div>
      ) : null}
    </div>
  );
}
