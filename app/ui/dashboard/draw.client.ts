// Draws the dashboard charts with Chart.js, in the browser only. Only the parts used are
// registered (line and bar charts, linear and category scales, legend, tooltip), which keeps the
// dashboard's JavaScript small. Intervals, the target line, the baseline and n at every point are
// drawn by one small plugin, so no chart needs an extra library.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type Plugin,
} from "chart.js";
import type { ChartSeries, DistributionChart } from "~/dashboard/dashboard.server";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController, BarElement, Legend, Tooltip);

// Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"];
const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
const INK = "#1c2430";
const SOFT = "#4a5566";
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';

interface TrendExtras {
  series: ChartSeries;
  dodge: number;
}

// Differences of shares are percentage points, not percentages.
const fmt = (kind: "share" | "mean", v: number, signed = false) => {
  const s = kind === "share" ? (signed ? `${Math.round(v * 100)} pts` : `${Math.round(v * 100)}%`) : v.toFixed(2);
  return signed && v > 0 ? `+${s}` : s.replace("-", "−");
};
const MARKERS = ["circle", "rectRot", "triangle", "rect"] as const;

/** Interval whiskers, n labels, target line and baseline marker. */
const annotations: Plugin<"line"> = {
  id: "spsAnnotations",
  beforeDatasetsDraw(chart, _args, options) {
    const { series } = options as unknown as TrendExtras;
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    const y = scales.y;
    ctx.save();
    if (series.baselineIndex !== null) {
      const px = x.getPixelForValue(series.baselineIndex);
      ctx.fillStyle = "rgba(15, 92, 110, 0.07)";
      ctx.fillRect(px - 28, chartArea.top, 56, chartArea.bottom - chartArea.top);
      ctx.fillStyle = SOFT;
      ctx.font = `600 11px ${FONT}`;
      ctx.textAlign = "center";
      ctx.fillText(series.marks?.baseline ?? "Baseline", px, chartArea.top + 12);
    }
    if (series.target !== null) {
      const py = y.getPixelForValue(series.target);
      if (py >= chartArea.top && py <= chartArea.bottom) {
        ctx.strokeStyle = "#1d7a46";
        ctx.setLineDash([6, 5]);
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(chartArea.left, py);
        ctx.lineTo(chartArea.right, py);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#1d7a46";
        ctx.font = `600 11px ${FONT}`;
        ctx.textAlign = "right";
        ctx.fillText((series.marks?.target ?? "Target {value}").replace("{value}", fmt(series.kind, series.target)), chartArea.right - 4, py - 5);
      }
    }
    // Targets per round and for a date: a hollow green diamond at the round (or the date's place
    // between rounds); one beyond the last round sits on the right edge with an arrow.
    for (const m of series.targetMarks ?? []) {
      const py = y.getPixelForValue(m.value);
      if (py < chartArea.top || py > chartArea.bottom) continue;
      const beyond = m.at > series.periods.length - 1 + 0.25;
      const px = beyond ? chartArea.right - 6 : x.getPixelForValue(m.at);
      ctx.strokeStyle = "#1d7a46";
      ctx.fillStyle = "#ffffff";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(px, py - 6);
      ctx.lineTo(px + 6, py);
      ctx.lineTo(px, py + 6);
      ctx.lineTo(px - 6, py);
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
      if (m.label || beyond) {
        ctx.fillStyle = "#1d7a46";
        ctx.font = `600 10px ${FONT}`;
        ctx.textAlign = "right";
        ctx.fillText(beyond ? `${m.label} →`.trim() : m.label, px - 8, py + 16);
      }
    }
    if (series.kind === "share" && y.min < 0 && y.max > 0) {
      const py = y.getPixelForValue(0);
      ctx.strokeStyle = SOFT;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(chartArea.left, py);
      ctx.lineTo(chartArea.right, py);
      ctx.stroke();
    }
    ctx.restore();
  },
  afterDatasetsDraw(chart, _args, options) {
    const { series } = options as unknown as TrendExtras;
    const { ctx } = chart;
    ctx.save();
    const placed: { x: number; y: number; w: number }[] = [];
    series.lines.forEach((line, li) => {
      const meta = chart.getDatasetMeta(li);
      if (meta.hidden) return;
      const color = (chart.data.datasets[li].borderColor as string) ?? INK;
      line.points.forEach((p, pi) => {
        if (!p) return;
        const el = meta.data[pi];
        if (!el) return;
        const px = el.x;
        if (p.low !== null && p.high !== null) {
          const top = chart.scales.y.getPixelForValue(p.high);
          const bottom = chart.scales.y.getPixelForValue(p.low);
          ctx.strokeStyle = color;
          ctx.globalAlpha = 0.55;
          ctx.lineWidth = 2;
          ctx.beginPath();
          ctx.moveTo(px, top);
          ctx.lineTo(px, bottom);
          ctx.moveTo(px - 4, top);
          ctx.lineTo(px + 4, top);
          ctx.moveTo(px - 4, bottom);
          ctx.lineTo(px + 4, bottom);
          ctx.stroke();
          ctx.globalAlpha = 1;
        }
        if (p.n > 0) {
          // Above the interval's top whisker, where no line passes; moved up (or below the bottom
          // whisker) when another label is there, and left out when no place is free (the table has it).
          const top = p.high !== null ? chart.scales.y.getPixelForValue(p.high) : el.y;
          const bottom = p.low !== null ? chart.scales.y.getPixelForValue(p.low) : el.y;
          ctx.font = `10px ${FONT}`;
          const label = `n=${p.n}`;
          const w = ctx.measureText(label).width + 4;
          const tries = [top - 5, top - 17, top - 29, bottom + 14, bottom + 26];
          const y = tries.find((ty) => ty - 10 >= 0 && !placed.some((r) => Math.abs(r.x - px) < (r.w + w) / 2 && Math.abs(r.y - ty) < 11));
          if (y !== undefined) {
            placed.push({ x: px, y, w });
            ctx.fillStyle = SOFT;
            ctx.textAlign = "center";
            ctx.fillText(label, px, y);
          }
        }
      });
    });
    ctx.restore();
  },
};

/** A trend (or gap) chart: one line per group, intervals as whiskers, n beside every point. */
export function drawTrend(canvas: HTMLCanvasElement, series: ChartSeries, opts: { gap?: boolean } = {}): Chart {
  const k = series.lines.length;
  const dodge = k > 1 ? Math.min(0.08, 0.5 / k) : 0;
  const values = series.lines.flatMap((l) => l.points.flatMap((p) => (p ? [p.low ?? p.value, p.high ?? p.value] : [])));
  if (series.target !== null) values.push(series.target);
  for (const m of series.targetMarks ?? []) values.push(m.value);
  let min = Math.min(...values, opts.gap ? 0 : Infinity);
  let max = Math.max(...values, opts.gap ? 0 : -Infinity);
  if (series.yRange) {
    ({ min, max } = series.yRange);
  } else if (series.kind === "share" && !opts.gap) {
    min = 0;
    max = Math.min(1, Math.ceil((max + 0.05) * 10) / 10);
  } else {
    // Round to tenths (or tenths of a point for shares) so the axis reads cleanly.
    const step = series.kind === "share" ? 0.05 : 0.1;
    const pad = (max - min) * 0.15 || step;
    min = Math.floor((min - pad) / step) * step;
    max = Math.ceil((max + pad) / step) * step;
  }
  return new Chart(canvas, {
    type: "line",
    data: {
      datasets: series.lines.map((line, i) => {
        const color = line.color !== undefined ? PALETTE[line.color % PALETTE.length] : PALETTE[i % PALETTE.length];
        return {
          label: line.label,
          data: line.points.map((p, pi) => (p ? { x: pi + (i - (k - 1) / 2) * dodge, y: p.value } : { x: pi, y: null as unknown as number })),
          borderColor: color,
          backgroundColor: line.points.map((p) => (p?.indicative ? "#ffffff" : color)),
          // One split: each line its own colour, dash and marker; two: dash and marker by the inner group.
          borderDash: DASHES[(line.dash ?? i) % DASHES.length],
          borderWidth: 2.5,
          pointStyle: MARKERS[(line.dash ?? i) % MARKERS.length],
          pointRadius: 4.5,
          pointHoverRadius: 6,
          pointBorderWidth: 2,
          spanGaps: true,
          tension: 0,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      layout: { padding: { top: 16, right: 24 } },
      scales: {
        x: {
          type: "linear",
          min: -0.5,
          max: series.periods.length - 0.5,
          grid: { display: false },
          // Points are dodged sideways, so the axis is linear; ticks go on the periods only.
          afterBuildTicks: (axis) => {
            axis.ticks = series.periods.map((_, i) => ({ value: i }));
          },
          ticks: {
            stepSize: 1,
            color: INK,
            font: { size: 12, family: FONT },
            callback: (v) => (Number.isInteger(Number(v)) ? (series.periods[Number(v)] ?? "") : ""),
          },
        },
        y: {
          min,
          max,
          grid: { color: "#e6e9ee" },
          title: { display: true, text: series.yLabel, color: SOFT, font: { size: 12, family: FONT } },
          ticks: { color: SOFT, font: { size: 11, family: FONT }, callback: (v) => fmt(series.kind, Number(v), opts.gap) },
        },
      },
      plugins: {
        legend: { display: k > 1 || !!opts.gap, position: "bottom", labels: { color: INK, usePointStyle: true, pointStyle: "line", pointStyleWidth: 34, font: { size: 12, family: FONT } } },
        tooltip: {
          callbacks: {
            title: (items) => series.periods[Math.round(items[0].parsed.x ?? 0)] ?? "",
            label: (item) => {
              const p = series.lines[item.datasetIndex].points[item.dataIndex];
              if (!p) return "";
              const ci = p.low !== null && p.high !== null ? ` (95% ${fmt(series.kind, p.low, opts.gap)} to ${fmt(series.kind, p.high, opts.gap)})` : "";
              return `${series.lines[item.datasetIndex].label}: ${fmt(series.kind, p.value, opts.gap)}${ci}${p.n ? `, n=${p.n}` : ""}${p.indicative ? ", indicative" : ""}`;
            },
          },
        },
        // Chart.js passes plugin options through by plugin id.
        ...({ spsAnnotations: { series, dodge } } as object),
      },
    },
    plugins: [annotations],
  });
}

const NEG = ["#e08e6d", "#b2402f"];
const POS = ["#7fb3d5", "#1f5f8b"];
const NEUTRAL = ["#c9ced6", "#a3aab5", "#7d8592"];

/** Answer distributions as stacked horizontal bars; diverging around 0 for safety and agreement scales. */
export function drawDistribution(canvas: HTMLCanvasElement, chart: DistributionChart, diverging: boolean): Chart {
  // Stack order from the middle outwards (mild answers next to the axis); neutral answers last.
  const byStrength = (a: { weight: number }, b: { weight: number }) => Math.abs(a.weight) - Math.abs(b.weight);
  const negatives = chart.codes.filter((c) => c.weight < 0).sort(byStrength);
  const positives = chart.codes.filter((c) => c.weight > 0).sort(byStrength);
  const neutrals = chart.codes.filter((c) => c.weight === 0);
  const ordered = diverging ? [...negatives, ...positives, ...neutrals] : chart.codes;
  const colorOf = (code: string) => {
    if (!diverging) return PALETTE[chart.codes.findIndex((c) => c.code === code) % PALETTE.length];
    const ni = negatives.findIndex((c) => c.code === code);
    if (ni >= 0) return NEG[Math.min(NEG.length - 1, ni)];
    const pi = positives.findIndex((c) => c.code === code);
    if (pi >= 0) return POS[Math.min(POS.length - 1, pi)];
    return NEUTRAL[neutrals.findIndex((c) => c.code === code) % NEUTRAL.length];
  };
  // The legend reads from the most negative answer to the most positive.
  const legendRank = (label: string) => {
    const c = chart.codes.find((x) => x.label === label);
    return c ? (c.weight === 0 ? 100 + chart.codes.indexOf(c) : c.weight) : 0;
  };
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.rows,
      datasets: ordered.map((c) => {
        const ci = chart.codes.findIndex((x) => x.code === c.code);
        return {
          label: c.label,
          data: chart.values.map((row) => {
            const v = row[ci];
            return v === null ? 0 : (diverging && c.weight < 0 ? -v : v) * 100;
          }),
          backgroundColor: colorOf(c.code),
          borderColor: "#ffffff",
          borderWidth: 1,
          stack: "main",
        };
      }),
    },
    options: {
      animation: false,
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: {
          stacked: true,
          min: diverging ? -100 : 0,
          max: 100,
          ticks: { color: SOFT, callback: (v) => `${Math.abs(Number(v))}%` },
          grid: { color: (c) => (c.tick?.value === 0 ? SOFT : "#e6e9ee") },
        },
        y: { stacked: true, ticks: { color: INK, font: { size: 12, family: FONT } }, grid: { display: false } },
      },
      plugins: {
        legend: { position: "bottom", labels: { color: INK, boxWidth: 12, font: { size: 12, family: FONT }, sort: (a, b) => legendRank(a.text) - legendRank(b.text) } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${Math.abs(Number(item.raw)).toFixed(1)}%` } },
      },
    },
  });
}
