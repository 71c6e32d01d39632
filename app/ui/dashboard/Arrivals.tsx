// "Responses received": the total with the time of the last one, then per round, per community and
// per day of the last four weeks. The survey page shows it all; the dashboard a summary line with
// the rounds, the rest one click away. No split beyond round or community (see arrivals.server).
import type { Arrivals } from "~/models/arrivals.server";
import { translator, type Translate } from "~/i18n/core";
import { dashboardEn, type DashboardWords } from "~/i18n/staff/dashboard";
import { useFormats, useStaffLocale } from "~/i18n/staff";

const english = translator("en", dashboardEn, dashboardEn);

/** The page's way of writing a time ("1 Dec 2026, 09:50 UTC") and a day ("Mon 30 Nov"), UTC. */
function useDates() {
  const { locale } = useStaffLocale();
  const tag = locale === "en" ? "en-GB" : locale;
  return {
    time: (iso: string) =>
      `${new Date(iso).toLocaleString(tag, { timeZone: "UTC", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" })} UTC`,
    day: (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString(tag, { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" }),
  };
}

/** `t`: the page's words (English where a page sends none). */
export function ArrivalsPanel({ a, compact = false, t = english }: { a: Arrivals; compact?: boolean; t?: Translate<DashboardWords> }) {
  const { number } = useFormats();
  const dates = useDates();
  const noRound = a.rounds.find((r) => r.id === null);
  return (
    <section className="card arrivals" aria-labelledby="arrivals-h">
      <h2 id="arrivals-h">{t("received")}</h2>
      <p className="arrivals-total">
        {a.total === 0 ? (
          t("noneYet")
        ) : (
          <>
            <span className="big">{number(a.total)}</span> {t("responsesWord", { n: a.total })}
            {a.lastReceivedAt ? <span className="muted"> · {t("lastReceived", { time: dates.time(a.lastReceivedAt) })}</span> : null}
          </>
        )}
        {a.excluded ? <span className="muted"> · {t("excluded", { n: a.excluded })}</span> : null}
      </p>
      {noRound && a.rounds.some((r) => r.id !== null) ? (
        <p className="hint">{t("inNoRound", { n: noRound.n })}</p>
      ) : null}
      {compact ? (
        <>
          <ul className="arrivals-chips" aria-label={t("perRound")}>
            {a.rounds.map((r) => (
              <li key={r.id ?? "none"} className={r.id === null ? "none" : undefined}>
                {r.name}: <strong>{number(r.n)}</strong>
              </li>
            ))}
          </ul>
          <details>
            <summary>{t("perCommunityDay")}</summary>
            <div className="arrivals-grid">
              <CountTable caption={t("byCommunity")} column={t("communityColumn")} rows={a.communities} t={t} />
            </div>
            <Days days={a.days} t={t} />
          </details>
        </>
      ) : (
        <>
          <div className="arrivals-grid">
            <CountTable caption={t("byRound")} column={t("roundColumn")} rows={a.rounds} t={t} />
            <CountTable caption={t("byCommunity")} column={t("communityColumn")} rows={a.communities} t={t} />
          </div>
          <Days days={a.days} t={t} />
        </>
      )}
    </section>
  );
}

function CountTable({ caption, column, rows, t }: { caption: string; column: string; rows: Arrivals["rounds"]; t: Translate<DashboardWords> }) {
  const { number } = useFormats();
  return (
    <div>
      <h3>{caption}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t("noneDefined")}</p>
      ) : (
        <table className="counts">
          <thead className="visually-hidden">
            <tr>
              <th scope="col">{column}</th>
              <th scope="col">{t("responsesColumn")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id ?? "none"} className={r.id === null ? "none" : undefined}>
                <th scope="row">{r.name}</th>
                <td className="n">{number(r.n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The last four weeks as a small bar table: one column per day, the count above its bar. */
function Days({ days, t }: { days: Arrivals["days"]; t: Translate<DashboardWords> }) {
  const { number } = useFormats();
  const { day: dayLabel } = useDates();
  const max = Math.max(1, ...days.map((d) => d.n));
  const first = days[0]?.day;
  const last = days.at(-1)?.day;
  return (
    // Focusable: on a narrow screen the table scrolls sideways, and keyboards must reach it.
    <div className="arrivals-days" tabIndex={0} role="group" aria-label={t("perDay")}>
      <table>
        <caption>
          {t("perDayCaption", { first: first ? dayLabel(first) : "", last: last ? dayLabel(last) : "" })}
        </caption>
        <tbody>
          <tr>
            {days.map((d) => (
              <td key={d.day} className={d.n ? undefined : "zero"}>
                <span className="visually-hidden">{dayLabel(d.day)}: {d.n ? "" : t("noneThatDay")}</span>
                <span className="count">{d.n ? number(d.n) : ""}</span>
                <span className="bar" style={{ height: `${Math.round((d.n / max) * 4)}rem` }} aria-hidden="true" />
              </td>
            ))}
          </tr>
        </tbody>
        <tfoot aria-hidden="true">
          <tr>
            {days.map((d) => (
              <th key={d.day} scope="col" className={new Date(`${d.day}T00:00:00Z`).getUTCDay() === 1 ? "monday" : undefined}>
                {number(Number(d.day.slice(8, 10)))}
              </th>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
