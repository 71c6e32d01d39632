// Languages as XLSForm column headers name them ("Arabic (ar)"), with their names in their own
// script and their direction taken from the script (Intl, so any BCP 47 code works).
import type { Language } from "./definition";

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

/**
 * Names in their own script for the languages programmes field most: browsers ship locale data for
 * few of them (Chromium names Somali "Somali" in every locale), so these do not depend on Intl.
 */
const NATIVE_NAMES: Record<string, string> = {
  en: "English", fr: "Français", ar: "العربية", so: "Soomaali", sw: "Kiswahili", ymm: "Af-Maay", om: "Afaan Oromoo", ti: "ትግርኛ", am: "አማርኛ",
  ha: "Hausa", yo: "Yorùbá", ig: "Igbo", ff: "Fulfulde", ln: "Lingála", rw: "Ikinyarwanda", rn: "Ikirundi", lg: "Luganda", din: "Thuɔŋjäŋ",
  nus: "Thok Naath", ku: "Kurdî", kmr: "Kurmancî", ckb: "کوردی", ps: "پښتو", fa: "فارسی", prs: "دری", ur: "اردو", hi: "हिन्दी", ne: "नेपाली",
  bn: "বাংলা", my: "မြန်မာ", rhg: "Ruáingga", ta: "தமிழ்", si: "සිංහල", es: "Español", pt: "Português", tr: "Türkçe", uk: "Українська", ru: "Русский",
  he: "עברית", ht: "Kreyòl ayisyen", tl: "Tagalog", fil: "Filipino", id: "Bahasa Indonesia", ms: "Bahasa Melayu", zh: "中文", th: "ไทย", km: "ខ្មែរ",
};

/** The language's name in its own script ("العربية", "Soomaali"), or undefined when unknown. */
export function nativeName(code: string): string | undefined {
  if (NATIVE_NAMES[code]) return NATIVE_NAMES[code];
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

/** Codes beyond ISO 639-1 that programmes ask for (Maay Maay, Sorani and Kurmanji Kurdish, Dari…). */
const MORE_CODES = ["ymm", "ckb", "kmr", "prs", "fil", "din", "nus", "kri", "luo", "tzm", "zgh", "shi", "bem", "dyu", "fuv", "mfe", "hne", "bho", "mai", "mag", "sat", "ctg", "rhg", "syl", "haw", "yue", "nan", "hak", "apc", "arz", "ary", "apd", "acm", "ajp", "shu"];

/** Every language with a known name: code, name in its own script, direction; sorted by code. */
export function allLanguages(): Language[] {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const codes: string[] = [];
  for (const a of letters) for (const b of letters) codes.push(a + b);
  const out: Language[] = [];
  for (const code of [...codes, ...MORE_CODES]) {
    const name = nativeName(code);
    if (name) out.push({ code, name, direction: directionOf(code) });
  }
  return out;
}

/** A language's English name, to search by ("Somali" finds Soomaali). */
export function englishName(code: string): string | undefined {
  try {
    return new Intl.DisplayNames(["en"], { type: "language", fallback: "none" }).of(code) ?? undefined;
  } catch {
    return undefined;
  }
}

/** A typed code or name as a language, or null when it is neither a BCP 47 code nor a known name. */
export function languageFromInput(input: string, known: Language[]): Language | null {
  const text = input.trim();
  if (!text) return null;
  const lower = text.toLowerCase();
  const byName = known.find((l) => l.name.toLowerCase() === lower || englishName(l.code)?.toLowerCase() === lower);
  if (byName) return byName;
  let code: string;
  try {
    code = Intl.getCanonicalLocales(text)[0];
  } catch {
    return null;
  }
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(code)) return null;
  return known.find((l) => l.code === code) ?? { code, name: nativeName(code) ?? code, direction: directionOf(code) };
}
