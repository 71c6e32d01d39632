// The words and numbers the dashboard engine writes with: a translate function over the engine's
// catalog, and how it writes numbers. The page writes them as its language does ("45,3" in French);
// downloads keep plain dot decimals, so a spreadsheet or a script reads them as numbers.
import { formatNumber, translator, type Translate } from "~/i18n/core";
import { dashboardEngine, type EngineMessages } from "~/i18n/staff/dashboard-engine";

export interface EngineWords {
  t: Translate<EngineMessages>;
  /** A number with exactly `digits` decimals. */
  fixed: (v: number, digits: number) => string;
  /** A month ("2026-03") as the page's language names it, or null to keep the engine's own label. */
  month: (id: string) => string | null;
}

/** The engine's words in a staff language; `machine`: dot decimals and no grouping, for CSV and files. */
export function engineWords(locale: string = "en", machine = false): EngineWords {
  const messages = (dashboardEngine as Record<string, EngineMessages>)[locale] ?? dashboardEngine.en;
  const tag = locale === "en" ? "en-GB" : locale;
  return {
    t: translator(machine ? "en" : locale, messages, dashboardEngine.en),
    fixed: machine
      ? (v, digits) => v.toFixed(digits)
      : (v, digits) => formatNumber(v, tag, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }),
    month: (id) => {
      if (locale === "en" || !/^\d{4}-\d{2}$/.test(id)) return null;
      try {
        return new Date(`${id}-01T00:00:00Z`).toLocaleDateString(tag, { timeZone: "UTC", month: "short", year: "numeric" });
      } catch {
        return null;
      }
    },
  };
}

/** English with dot decimals: what the engine writes when no language is given. */
export const ENGLISH_ENGINE = engineWords("en", true);
