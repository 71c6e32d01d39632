// Chart components: the canvas is drawn in the browser only (Chart.js is loaded on demand after
// hydration); the server renders the same numbers as an accessible table beside every chart.
import { useEffect, useRef } from "react";
import type { ChartSeries, DataTable, DistributionChart } from "~/dashboard/dashboard.server";
import { translator, type Translate } from "~/i18n/core";
import { engineEn, type EngineMessages } from "~/i18n/staff/dashboard-engine";

/** The engine's words (the page sends them in its language); English where a page sends none. */
type Words = Translate<EngineMessages>;
const english: Words = translator("en", engineEn, engineEn);

function useChart(draw: (canvas: HTMLCanvasElement) => Promise<{ destroy(): void }>, key: string) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    if (ref.current)
      draw(ref.current).then((c) => {
        if (cancelled) c.destroy();
        else {
          chart = c;
          // Lets tests (and print) know the canvas holds the chart.
          ref.current?.setAttribute("data-drawn", "true");
        }
      });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
    // The chart is redrawn when its numbers change, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return ref;
}

export function TrendChart({ series, label, gap = false, height = 320, t = english }: { series: ChartSeries; label: string; gap?: boolean; height?: number; t?: Words }) {
  if (series.panels?.length) {
    // Small multiples: one panel per community, the same lines, colours and y axis in each.
    return (
      <div className="small-multiples" role="group" aria-label={t("panelsLabel", { label })}>
        {series.panels.map((p) => (
          <figure key={p.title} className="small-multiple">
            <figcaption>{p.title}</figcaption>
            <SingleTrend series={p.series} label={`${label}: ${p.title}`} gap={gap} height={Math.max(200, Math.round(height * 0.75))} t={t} />
          </figure>
        ))}
      </div>
    );
  }
  return <SingleTrend series={series} label={label} gap={gap} height={height} t={t} />;
}

function SingleTrend({ series, label, gap, height, t }: { series: ChartSeries; label: string; gap: boolean; height: number; t: Words }) {
  const ref = useChart(async (canvas) => (await import("./draw.client")).drawTrend(canvas, series, { gap }), JSON.stringify(series));
  return (
    <div className="chart-box" style={{ height }}>
      <canvas ref={ref} role="img" aria-label={t("chartLabel", { label })} />
    </div>
  );
}

export function DistributionBars({ chart, diverging, label, t = english }: { chart: DistributionChart; diverging: boolean; label: string; t?: Words }) {
  const ref = useChart(async (canvas) => (await import("./draw.client")).drawDistribution(canvas, chart, diverging), JSON.stringify(chart));
  return (
    <div className="chart-box" style={{ height: Math.max(180, 70 + chart.rows.length * 30) }}>
      <canvas ref={ref} role="img" aria-label={t("chartLabel", { label })} />
    </div>
  );
}

/** The numbers behind a chart, as a table, with a CSV download of exactly these cells. */
export function NumbersTable({ table, csvHref, open = false, t = english }: { table: DataTable; csvHref?: string; open?: boolean; t?: Words }) {
  const suppressed = t("suppressed");
  return (
    <details className="numbers" open={open}>
      <summary>{t("tableSummary")}</summary>
      <div className="table-scroll">
        <table className="data-table" id={`table-${table.id}`}>
          <caption>{table.caption}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => {
                  const shade = table.shade?.[r]?.[c];
                  // Light to medium teal under dark text: readable (WCAG AA) at every shade.
                  const style = shade === null || shade === undefined ? undefined : { background: `rgba(15, 92, 110, ${(0.05 + 0.4 * shade).toFixed(2)})` };
                  return c === 0 ? (
                    <th key={c} scope="row" style={style}>
                      {cell}
                    </th>
                  ) : (
                    <td key={c} style={style} className={cell === suppressed ? "suppressed" : undefined}>
                      {cell}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {csvHref ? (
        <p>
          <a href={csvHref} download>
            {t("downloadCsv")}
          </a>
        </p>
      ) : null}
    </details>
  );
}
