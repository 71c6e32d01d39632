// The one message layer for every screen: a catalog per locale (English complete, the others
// checked by tests), "{name}" placeholders, ICU-style plurals ("{n, plural, one {# answer} other
// {# answers}}") chosen by Intl.PluralRules, and numbers written by Intl.NumberFormat for the locale.
// No I/O and no dependencies, so the tablet bundle carries it for a few hundred bytes.

export type Messages = Record<string, string>;
export type Values = Record<string, string | number>;
export type Translate<M extends Messages = Messages> = (key: keyof M & string, values?: Values) => string;

/** Scripts written right to left, by primary language subtag. */
const RTL = new Set(["ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi", "sd", "ug"]);

export const primaryTag = (tag: string) => tag.toLowerCase().replace(/_/g, "-").split("-")[0];
export const directionOf = (tag: string): "rtl" | "ltr" => (RTL.has(primaryTag(tag)) ? "rtl" : "ltr");

/** The catalog entry for a tag ("ar", "ar-JO", "sw_KE"): exact tag, then primary subtag. */
export function pickLocale<T>(tables: Record<string, T>, tag: string): string | undefined {
  const exact = tag.toLowerCase().replace(/_/g, "-");
  if (exact in tables) return exact;
  const primary = primaryTag(tag);
  return primary in tables ? primary : undefined;
}

/**
 * Numbers as the locale writes them. Digits follow CLDR's default for the full tag: "ar" (and the
 * Maghreb's ar-MA, ar-DZ, ar-TN) write Latin digits, ar-EG, ar-JO, ar-IQ, ar-YE … Arabic-Indic ones.
 * A survey or a person wanting the other kind says so in the tag ("ar-u-nu-arab", "ar-EG-u-nu-latn").
 */
export function formatNumber(n: number, locale: string, options?: Intl.NumberFormatOptions): string {
  try {
    return new Intl.NumberFormat(locale, options).format(n);
  } catch {
    return String(n);
  }
}

function pluralCategory(n: number, locale: string): Intl.LDMLPluralRule {
  try {
    return new Intl.PluralRules(locale).select(n);
  } catch {
    return n === 1 ? "one" : "other";
  }
}

/** Where the brace opened at `open` closes (nested braces counted), or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The branches of a plural argument's body: "=0 {none} one {# item} other {# items}". */
function branches(body: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    const m = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
    m.lastIndex = i;
    const hit = m.exec(body);
    if (!hit) break;
    const open = m.lastIndex - 1;
    const end = closing(body, open);
    if (end < 0) break;
    out.set(hit[1], body.slice(open + 1, end));
    i = end + 1;
  }
  return out;
}

/** Fills a message: "{name}" from values (numbers formatted), plural arguments by the locale's rules. */
export function formatMessage(template: string, values: Values, locale: string): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) break;
    out += template.slice(i, open);
    const end = closing(template, open);
    if (end < 0) return out + template.slice(open);
    const inner = template.slice(open + 1, end);
    const plural = /^\s*(\w+)\s*,\s*plural\s*,(.*)$/s.exec(inner);
    if (plural) {
      const raw = values[plural[1]];
      const n = typeof raw === "number" ? raw : Number(raw);
      const choices = branches(plural[2]);
      const chosen = choices.get(`=${n}`) ?? choices.get(pluralCategory(n, locale)) ?? choices.get("other") ?? "";
      out += formatMessage(chosen.replace(/#/g, `{${plural[1]}}`), values, locale);
    } else if (Object.prototype.hasOwnProperty.call(values, inner.trim())) {
      const v = values[inner.trim()];
      out += typeof v === "number" ? formatNumber(v, locale) : v;
    } else {
      out += template.slice(open, end + 1);
    }
    i = end + 1;
  }
  return out + template.slice(i);
}

/** The names a message expects ("{n}", "{n, plural, …}"), for the catalog checks. */
export function placeholders(template: string): string[] {
  const names = new Set<string>();
  // A brace right after a plural category opens that branch's text, not a placeholder.
  for (const m of template.matchAll(/(?<!(?:zero|one|two|few|many|other|=\d+)\s*)\{\s*(\w+)/g)) names.add(m[1]);
  return [...names].sort();
}

/**
 * A translator for one locale: the locale's message, else the fallback's (English), else the key.
 * `locale` is the full tag, so numbers follow it even when the words come from the primary language.
 */
export function translator<M extends Messages>(locale: string, messages: Partial<M>, fallback: M): Translate<M> {
  return (key, values = {}) => formatMessage(messages[key] ?? fallback[key] ?? key, values, locale);
}

/** A catalog: English complete; each other locale has every key (the type and the tests check). */
export type Catalog<M extends Messages> = { en: M } & Record<string, M>;
