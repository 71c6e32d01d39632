// The indicator tracking table as HTML (page and report): baseline, each round's target and actual
// with interval and n, change with its verdict, variance, distance achieved and status.
import type { TrackingFigure, TrackingRow, TrackingTable as Table } from "~/dashboard/tracking.server";
import { formatValue, formatUnit } from "~/dashboard/view";
import type { Translate } from "~/i18n/core";
import { useWords } from "~/i18n/staff";
import type { TrackingWords } from "~/i18n/staff/tracking";

type T = Translate<TrackingWords>;

/** The status words, verdicts and reasons the table computes (in English), as catalog keys. */
export const STATUS_KEYS: Record<string, keyof TrackingWords> = {
  "target met": "statusMet",
  "on track": "statusOnTrack",
  "not on track": "statusNotOnTrack",
  "not enough data": "statusNoData",
  "clear improvement": "verdictImprovement",
  "clear decline": "verdictDecline",
  "no clear change": "verdictNoChange",
  "no target set": "whyNoTarget",
  "no figure shown for any round": "whyNoFigure",
  "only the baseline has been measured": "whyOnlyBaseline",
  "the whole interval is at or beyond the target": "whyMet",
  "no baseline to draw the path to the target from": "whyNoBaseline",
  "the interval reaches the value expected by this round": "whyReaches",
  "the whole interval falls short of the value expected by this round": "whyShort",
};
const say = (t: T, english: string) => (STATUS_KEYS[english] ? t(STATUS_KEYS[english]) : english);

const fmt = (kind: "share" | "mean", v: number | null) => (v === null ? "" : `${formatValue(kind, v)}${formatUnit(kind)}`);
const points = (kind: "share" | "mean", v: number | null) =>
  v === null ? "" : kind === "share" ? `${v >= 0 ? "+" : "−"}${Math.abs(v * 100).toFixed(1)} pts` : `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(2)}`;

function Figure({ kind, f, t }: { kind: "share" | "mean"; f: TrackingFigure | null; t: T }) {
  if (!f) return <span className="muted">–</span>;
  if (f.suppressed) return <span className="suppressed">{t("suppressed")}</span>;
  return (
    <>
      <strong>{fmt(kind, f.value)}</strong>
      {f.low !== null && f.high !== null ? <span className="ci"> {`${formatValue(kind, f.low)}–${formatValue(kind, f.high)}`}</span> : null}
      <span className="n"> n={f.n}</span>
    </>
  );
}

const statusClass: Record<string, string> = { "target met": "good", "on track": "good", "not on track": "bad", "not enough data": "neutral" };
const verdictClass = (v: string) => (v === "clear improvement" ? "good" : v === "clear decline" ? "bad" : "neutral");

export function TrackingRowCells({ row, table, compact = false, t }: { row: TrackingRow; table: Table; compact?: boolean; t: T }) {
  const k = row.kind;
  const rounds = table.rounds;
  return (
    <>
      <td className="tt-status">
        <span className={`verdict ${statusClass[row.status]}`} title={say(t, row.statusReason)}>
          {say(t, row.status)}
        </span>
        {compact ? null : <div className="tt-why">{say(t, row.statusReason)}</div>}
      </td>
      {rounds.map((r) => {
        const c = row.cells.find((x) => x.roundId === r.id)!;
        return (
          <td key={r.id} className={c.actual?.suppressed ? "suppressed" : undefined}>
            {r.id === row.baselineRoundId ? <span className="tag">{t("baselineTag")}</span> : null}
            <Figure kind={k} f={c.actual} t={t} />
            {row.linked && c.source ? <div className="tt-source">{`${c.source.title} v${c.source.version}`}</div> : null}
            {c.target !== null ? <div className="tt-target">{t("targetValue", { value: fmt(k, c.target) })}</div> : null}
            {c.dateTargets.map((d) => (
              <div key={d.on} className="tt-target">
                {t("targetBy", { value: fmt(k, d.value), date: d.on })}
              </div>
            ))}
          </td>
        );
      })}
      <td>
        {row.change ? (
          <>
            <span className={`verdict ${verdictClass(row.change.verdict)}`}>{say(t, row.change.verdict)}</span> {points(k, row.change.diff)}
          </>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td>{row.variance !== null ? points(k, row.variance) : <span className="muted">–</span>}</td>
      <td>{row.achieved !== null ? `${Math.round(row.achieved * 100)}%` : <span className="muted">–</span>}</td>
    </>
  );
}

export function TrackingTable({ table, rows, compact = false, caption, words }: { table: Table; rows?: TrackingRow[]; compact?: boolean; caption?: string; words: TrackingWords }) {
  const t = useWords(words);
  const shownRows = rows ?? table.rows;
  const rounds = compact ? table.rounds.filter((r) => shownRows.some((row) => row.cells.some((c) => c.roundId === r.id && (c.actual || c.target !== null)))) : table.rounds;
  return (
    // Focusable, so a keyboard can scroll a table wider than the screen.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption ?? `Tracking: ${shownRows[0]?.label ?? "indicators"}`}>
      <table className="data-table tracking-table">
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">{t("colIndicator")}</th>
            <th scope="col">{t("colStatus")}</th>
            {rounds.map((r) => (
              <th scope="col" key={r.id}>
                {r.label}
              </th>
            ))}
            <th scope="col">{t("colChange")}</th>
            <th scope="col">{t("colVariance")}</th>
            <th scope="col">{t("colAchieved")}</th>
          </tr>
        </thead>
        <tbody>
          {shownRows.map((row) => (
            <tr key={`${row.indicatorId}-${row.group?.value ?? "*"}`} className={row.group ? "tt-group" : "tt-indicator"}>
              <th scope="row">
                {row.group ? (
                  <span className="tt-group-label">{row.group.label}</span>
                ) : (
                  <>
                    {row.label}
                    {row.reference && !row.label.includes(row.reference) ? <span className="reference"> · {row.reference}</span> : null}
                    {row.linked ? <div className="tt-linked">{t("linkedWith", { survey: row.linked.title, indicator: row.linked.indicatorId })}</div> : null}
                    {row.dateTargets.some((d) => !row.cells.some((c) => c.dateTargets.some((x) => x.on === d.on))) ? (
                      <div className="tt-target">
                        {row.dateTargets
                          .filter((d) => !row.cells.some((c) => c.dateTargets.some((x) => x.on === d.on)))
                          .map((d) => t("targetBy", { value: fmt(row.kind, d.value), date: d.on }))
                          .join("; ")}
                      </div>
                    ) : null}
                  </>
                )}
              </th>
              <TrackingRowCells row={row} table={{ ...table, rounds }} compact={compact} t={t} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
