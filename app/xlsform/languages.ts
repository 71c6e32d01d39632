// Languages as XLSForm column headers name them ("Arabic (ar)"), with their names in their own
// script and their direction taken from the script (Intl, so any BCP 47 code works).
import type { Language } from "~/survey";

const RTL_SCRIPTS = new Set(["Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"]);

/** Right-to-left when the language's likely script is (Arabic for ar, ps, ckb; Hebrew for he…). */
export function directionOf(code: string): "ltr" | "rtl" {
  try {
    const script = new Intl.Locale(code).maximize().script;
    return script && RTL_SCRIPTS.has(script) ? "rtl" : "ltr";
  } catch {
    return "ltr";
  }
}

/** The language's name in its own script ("العربية", "Soomaali"), or undefined when unknown. */
export function nativeName(code: string): string | undefined {
  try {
    const name = new Intl.DisplayNames([code], { type: "language", fallback: "none" }).of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

let byEnglishName: Map<string, string> | undefined;
/** A two-letter code for an English language name ("Swahili" → "sw"), as forms without codes give. */
export function codeForName(name: string): string | undefined {
  if (!byEnglishName) {
    byEnglishName = new Map();
    const english = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
    const letters = "abcdefghijklmnopqrstuvwxyz";
    for (const a of letters)
      for (const b of letters) {
        const n = english.of(a + b);
        if (n && !byEnglishName.has(n.toLowerCase())) byEnglishName.set(n.toLowerCase(), a + b);
      }
  }
  return byEnglishName.get(name.trim().toLowerCase());
}

/** "English (en)" → {name English, code en}; "Swahili" → {name Swahili, code sw}. */
export function parseLanguageHeader(text: string): Language | null {
  const m = /^(.*?)\s*\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)\s*$/.exec(text.trim());
  const name = (m ? m[1] : text).trim();
  const code = m ? m[2] : codeForName(name);
  if (!code) return null;
  const canonical = (() => {
    try {
      return Intl.getCanonicalLocales(code)[0];
    } catch {
      return code.toLowerCase();
    }
  })();
  return { code: canonical, name: name || nativeName(canonical) || canonical, direction: directionOf(canonical) };
}

/** The header suffix a language is written with on export. */
export const languageHeader = (l: Language) => `${l.name} (${l.code})`;
