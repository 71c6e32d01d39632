// The dashboard view as URL search parameters: a link reproduces the view. Pure, so the page,
// the CSV route, the report and the browser all read and write views the same way.

export type ViewPeriod = "round" | "month" | "quarter";
export type ViewPanel = "trend" | "gap" | "answers" | "communities";
export const PANELS: { id: ViewPanel; label: string }[] = [
  { id: "trend", label: "Trend by group" },
  { id: "gap", label: "Gap between groups" },
  { id: "answers", label: "Answer distribution" },
  { id: "communities", label: "Communities × periods" },
];

export interface DashboardView {
  survey: string | null;
  indicator: string | null;
  period: ViewPeriod;
  /** Up to two dimension ids: the first splits lines, the second splits within it. */
  by: string[];
  communities: string[];
  rounds: string[];
  /** Inclusive months YYYY-MM. */
  from: string | null;
  to: string | null;
  version: number | null;
  /** Dimension id → the one value kept. */
  groups: Record<string, string>;
  panel: ViewPanel;
  /** Gap view: the dimension and its two groups (a − b). */
  gapBy: string | null;
  a: string | null;
  b: string | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parseView(params: URLSearchParams): DashboardView {
  const period = params.get("period");
  const panel = params.get("view");
  const version = Number(params.get("version"));
  const groups: Record<string, string> = {};
  for (const [k, v] of params) if (k.startsWith("g.") && ID.test(k.slice(2)) && v) groups[k.slice(2)] = v;
  const ids = (name: string) => params.getAll(name).flatMap((v) => v.split(",")).filter((v) => ID.test(v));
  return {
    survey: params.get("survey") || null,
    indicator: params.get("indicator") || null,
    period: period === "month" || period === "quarter" ? period : "round",
    by: [...new Set(ids("by"))].slice(0, 2),
    communities: ids("community"),
    rounds: ids("round"),
    from: MONTH.test(params.get("from") ?? "") ? params.get("from") : null,
    to: MONTH.test(params.get("to") ?? "") ? params.get("to") : null,
    version: Number.isInteger(version) && version > 0 ? version : null,
    groups,
    panel: PANELS.some((p) => p.id === panel) ? (panel as ViewPanel) : "trend",
    gapBy: params.get("gapBy") || null,
    a: params.get("a") || null,
    b: params.get("b") || null,
  };
}

export function viewParams(view: Partial<DashboardView>): URLSearchParams {
  const p = new URLSearchParams();
  if (view.survey) p.set("survey", view.survey);
  if (view.indicator) p.set("indicator", view.indicator);
  if (view.period && view.period !== "round") p.set("period", view.period);
  if (view.by?.length) p.set("by", view.by.join(","));
  for (const c of view.communities ?? []) p.append("community", c);
  for (const r of view.rounds ?? []) p.append("round", r);
  if (view.from) p.set("from", view.from);
  if (view.to) p.set("to", view.to);
  if (view.version) p.set("version", String(view.version));
  for (const [k, v] of Object.entries(view.groups ?? {})) p.set(`g.${k}`, v);
  if (view.panel && view.panel !== "trend") p.set("view", view.panel);
  if (view.gapBy) p.set("gapBy", view.gapBy);
  if (view.a) p.set("a", view.a);
  if (view.b) p.set("b", view.b);
  return p;
}

/** The same view with some fields changed, as a query string ("?…"). */
export function withView(view: DashboardView, change: Partial<DashboardView>): string {
  const s = viewParams({ ...view, ...change }).toString();
  return s ? `?${s}` : "?";
}

/** 0.623 → "62.3" (shares as percentages) or 2.41 → "2.41" (means), for tables and CSV alike. */
export function formatValue(kind: "share" | "mean", v: number | null): string {
  if (v === null || Number.isNaN(v)) return "";
  return kind === "share" ? (v * 100).toFixed(1) : v.toFixed(2);
}

export const formatUnit = (kind: "share" | "mean") => (kind === "share" ? "%" : "");
