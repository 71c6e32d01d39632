// Names of communities and rounds in other languages, for the pages communities read (feedback).
// Typed on the programme page as one line per language, "ar: كيبيرا"; stored as JSON {code: name}.
// Pure, so the form's rules are the same wherever they are checked.

export type NameTranslations = Record<string, string>;

const LANGUAGE_CODE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
export const MAX_TRANSLATED_NAME = 120;

/** The lines of a translations field, or the first problem (naming the line), in English words. */
export function parseNameTranslations(text: string): { ok: true; value: NameTranslations } | { ok: false; line: number; problem: "format" | "code" | "long" | "twice" } {
  const value: NameTranslations = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon < 0) return { ok: false, line: i + 1, problem: "format" };
    const code = line.slice(0, colon).trim();
    const name = line.slice(colon + 1).trim();
    if (!LANGUAGE_CODE.test(code)) return { ok: false, line: i + 1, problem: "code" };
    if (name === "") return { ok: false, line: i + 1, problem: "format" };
    if (name.length > MAX_TRANSLATED_NAME) return { ok: false, line: i + 1, problem: "long" };
    if (code in value) return { ok: false, line: i + 1, problem: "twice" };
    value[code] = name;
  }
  return { ok: true, value };
}

/** The field's text for stored translations. */
export const translationsText = (t: NameTranslations) =>
  Object.entries(t)
    .map(([code, name]) => `${code}: ${name}`)
    .join("\n");

export function readTranslations(json: string | null | undefined): NameTranslations {
  try {
    const parsed = JSON.parse(json ?? "{}") as unknown;
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as NameTranslations) : {};
  } catch {
    return {};
  }
}

/** A name in `lang` ("ar", "ar-JO" finds "ar"), else the name as entered. */
export function localName(name: string, translations: NameTranslations, lang: string): string {
  return translations[lang] ?? translations[lang.toLowerCase().split(/[-_]/)[0]] ?? name;
}
