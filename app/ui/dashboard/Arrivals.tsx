// "Responses received": the total with the time of the last one, then per round, per community and
// per day of the last four weeks. The survey page shows it all; the dashboard a summary line with
// the rounds, the rest one click away. No split beyond round or community (see arrivals.server).
import type { Arrivals } from "~/models/arrivals.server";
import { dayLabel, receivedTime, responses } from "./arrivals-text";

export function ArrivalsPanel({ a, compact = false }: { a: Arrivals; compact?: boolean }) {
  const noRound = a.rounds.find((r) => r.id === null);
  return (
    <section className="card arrivals" aria-labelledby="arrivals-h">
      <h2 id="arrivals-h">Responses received</h2>
      <p className="arrivals-total">
        {a.total === 0 ? (
          "No responses yet."
        ) : (
          <>
            <span className="big">{a.total.toLocaleString("en-GB")}</span>
            {a.total === 1 ? "response" : "responses"}
            {a.lastReceivedAt ? <span className="muted"> · the last received on {receivedTime(a.lastReceivedAt)}</span> : null}
          </>
        )}
        {a.excluded ? <span className="muted"> · {responses(a.excluded)} excluded, not counted here or in any figure</span> : null}
      </p>
      {noRound && a.rounds.some((r) => r.id !== null) ? (
        <p className="hint">{responses(noRound.n)} {noRound.n === 1 ? "falls" : "fall"} in no round: their link has no round and no round's dates contain the day they were collected. Check the rounds' dates on the programme page.</p>
      ) : null}
      {compact ? (
        <>
          <ul className="arrivals-chips" aria-label="Responses per round">
            {a.rounds.map((r) => (
              <li key={r.id ?? "none"} className={r.id === null ? "none" : undefined}>
                {r.name}: <strong>{r.n.toLocaleString("en-GB")}</strong>
              </li>
            ))}
          </ul>
          <details>
            <summary>Per community and per day</summary>
            <div className="arrivals-grid">
              <CountTable caption="By community" rows={a.communities} />
            </div>
            <Days days={a.days} />
          </details>
        </>
      ) : (
        <>
          <div className="arrivals-grid">
            <CountTable caption="By round" rows={a.rounds} />
            <CountTable caption="By community" rows={a.communities} />
          </div>
          <Days days={a.days} />
        </>
      )}
    </section>
  );
}

function CountTable({ caption, rows }: { caption: string; rows: Arrivals["rounds"] }) {
  return (
    <div>
      <h3>{caption}</h3>
      {rows.length === 0 ? (
        <p className="muted">None defined yet.</p>
      ) : (
        <table className="counts">
          <thead className="visually-hidden">
            <tr>
              <th scope="col">{caption.replace(/^By /, "").replace(/^./, (c) => c.toUpperCase())}</th>
              <th scope="col">Responses</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id ?? "none"} className={r.id === null ? "none" : undefined}>
                <th scope="row">{r.name}</th>
                <td className="n">{r.n.toLocaleString("en-GB")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The last four weeks as a small bar table: one column per day, the count above its bar. */
function Days({ days }: { days: Arrivals["days"] }) {
  const max = Math.max(1, ...days.map((d) => d.n));
  const first = days[0]?.day;
  const last = days.at(-1)?.day;
  return (
    // Focusable: on a narrow screen the table scrolls sideways, and keyboards must reach it.
    <div className="arrivals-days" tabIndex={0} role="group" aria-label="Received per day">
      <table>
        <caption>
          Received per day, {first ? dayLabel(first) : ""} to {last ? dayLabel(last) : ""} (UTC; Mondays in bold)
        </caption>
        <tbody>
          <tr>
            {days.map((d) => (
              <td key={d.day} className={d.n ? undefined : "zero"}>
                <span className="visually-hidden">{dayLabel(d.day)}: {d.n ? "" : "none"}</span>
                <span className="count">{d.n ? d.n.toLocaleString("en-GB") : ""}</span>
                <span className="bar" style={{ height: `${Math.round((d.n / max) * 4)}rem` }} aria-hidden="true" />
              </td>
            ))}
          </tr>
        </tbody>
        <tfoot aria-hidden="true">
          <tr>
            {days.map((d) => (
              <th key={d.day} scope="col" className={new Date(`${d.day}T00:00:00Z`).getUTCDay() === 1 ? "monday" : undefined}>
                {Number(d.day.slice(8, 10))}
              </th>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
