// The untranslated-text check for a rendered staff page: which English texts of the staff catalogs
// are still on it, in a page that should be French or Arabic.
import { STAFF_CATALOGS } from "../../app/i18n/staff.server";
import { visibleText } from "./page-text";

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * English texts of every staff catalog that read differently in `locale` and are still on the page:
 * phrases anywhere in its text, single words as a whole element's text (a single word may be part
 * of a name). Placeholders are matched as "anything".
 */
export function englishLeft(html: string, locale: "fr" | "ar"): string[] {
  const text = visibleText(html);
  // Whole words only: "the answer" is not in "the answers" of a community's own feedback text.
  const said = (phrase: string) => new RegExp(`(^|[^\\p{L}])${escape(phrase)}($|[^\\p{L}])`, "u").test(text);
  const left = new Set<string>();
  for (const catalog of Object.values(STAFF_CATALOGS) as Record<string, Record<string, string>>[]) {
    for (const [key, en] of Object.entries(catalog.en)) {
      if (catalog[locale][key] === en || /plural,/.test(en)) continue;
      // The fixed words of a message with placeholders, at least two words long, must not appear.
      const parts = en.split(/\{[^}]*\}/).map((p) => p.trim()).filter((p) => /\s/.test(p) && p.length > 8);
      if (en.includes("{")) {
        for (const p of parts) if (said(p)) left.add(p);
      } else if (/\s/.test(en) ? said(en) : new RegExp(`>\\s*${escape(en)}\\s*<`).test(html)) left.add(en);
    }
  }
  return [...left];
}
