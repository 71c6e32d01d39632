// The indicator tracking table: baseline, targets and actuals per round, status, data source and
// frequency; managers set each indicator's baseline round and targets here. Downloads: .xlsx, CSV, print.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm, requireViewer } from "~/auth.server";
import { loadDashboardContext } from "~/dashboard/context.server";
import { readPlanForm } from "~/dashboard/plan-form";
import { referenceSheets } from "~/dashboard/tracking-files.server";
import { loadTrackingPage } from "~/dashboard/tracking-page.server";
import { STATUS_RULES } from "~/dashboard/tracking";
import { METHOD_NOTES } from "~/dashboard/reference-sheet";
import { canSetTargets, PlanInputError, setIndicatorPlan } from "~/models/indicator-targets.server";
import { roleIn } from "~/models/programmes.server";
import { formatValue } from "~/dashboard/view";
import { CsrfField } from "~/ui/forms";
import { PrintButton } from "~/ui/dashboard/PrintButton";
import { TrackingTable } from "~/ui/dashboard/TrackingTable";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import trackingStylesHref from "~/ui/dashboard/tracking.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dashboardStylesHref },
  { rel: "stylesheet", href: trackingStylesHref },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Tracking table · ${data?.programme.name ?? "Programme"} · Safety perception surveys` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { programme, ctx, table, canEdit } = await loadTrackingPage(request, context, params.programmeId!);
  const base = { programme: { id: programme.id, name: programme.name }, canEdit };
  if (!ctx || !table) return { ...base, survey: null, table: null, sheets: [], surveys: [], splits: [], by: null, plans: [] };
  return {
    ...base,
    survey: { id: ctx.survey.id, title: ctx.survey.title },
    surveys: ctx.surveys.map((s) => ({ id: s.id, title: s.title })),
    splits: ctx.dimensions.map((d) => ({ id: d.id, label: d.label })),
    by: table.split?.id ?? null,
    table,
    sheets: referenceSheets(ctx, table),
    plans: ctx.survey.definition.indicators.map((ind) => {
      const plan = ctx.plans?.get(ind.id);
      return {
        id: ind.id,
        kind: ind.kind,
        label: table.rows.find((r) => r.indicatorId === ind.id)!.label,
        baselineRoundId: plan?.baselineRoundId ?? "",
        targets: Object.fromEntries([...(plan?.targets ?? [])].map(([roundId, v]) => [roundId, formatValue(ind.kind, v)])),
      };
    }),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const form = await readForm(request, context);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, String(form.get("survey") ?? ""));
  if (!found?.context) throw data({ message: "There is no programme here, or you are not a member of it." }, { status: 404 });
  if (!canSetTargets(await roleIn(context.db, viewer, found.programme.id)))
    throw data({ message: "Only the programme's managers (and administrators) set targets." }, { status: 403 });
  const ctx = found.context;
  const indicator = ctx.survey.definition.indicators.find((i) => i.id === form.get("indicator"));
  if (!indicator) return data({ indicatorId: null, field: "indicator", message: "Choose one of the survey's indicators." }, { status: 400 });
  const roundIds = ctx.rounds.map((r) => r.id);
  const parsed = readPlanForm(form, indicator, roundIds);
  if (!parsed.ok) return data({ indicatorId: indicator.id, field: parsed.field, message: parsed.message }, { status: 400 });
  try {
    await setIndicatorPlan(context.db, viewer, { programmeId: found.programme.id, surveyId: ctx.survey.id, indicator, roundIds, ...parsed });
  } catch (e) {
    if (e instanceof PlanInputError) return data({ indicatorId: indicator.id, field: e.field, message: e.message }, { status: 400 });
    throw e;
  }
  return { indicatorId: indicator.id, field: null, message: "Targets saved." };
}

export default function Tracking() {
  const { programme, survey, table, sheets, surveys, splits, by, plans, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const base = `/programmes/${programme.id}`;
  if (!survey || !table) {
    return (
      <div>
        <p className="breadcrumbs">
          <Link to="/">Programmes</Link> › <Link to={base}>{programme.name}</Link> ›
        </p>
        <h1>Indicator tracking table</h1>
        <p className="empty">No published survey yet: the table fills in as soon as there is one.</p>
      </div>
    );
  }
  const q = (extra: Record<string, string | null>) => {
    const p = new URLSearchParams({ survey: survey.id });
    if (by) p.set("by", by);
    for (const [k, v] of Object.entries(extra)) if (v === null) p.delete(k);
    else p.set(k, v);
    return `?${p}`;
  };
  return (
    <div className="dashboard tracking-page">
      <p className="breadcrumbs no-print">
        <Link to="/">Programmes</Link> › <Link to={base}>{programme.name}</Link> › <Link to={`${base}/dashboard?survey=${survey.id}`}>Dashboard</Link> ›
      </p>
      <h1>Indicator tracking table: {programme.name}</h1>
      <p className="lede">
        {survey.title}. Each figure carries its 95% interval and n; the status takes the interval into account. Groups of fewer than {table.minCellSize} respondents are hidden so no
        one can be singled out.
      </p>
      <div className="dashboard-links no-print">
        <a className="button secondary" href={`${base}/tracking.xlsx${q({})}`} download>
          Download .xlsx
        </a>
        <a className="button secondary" href={`${base}/tracking.csv${q({})}`} download>
          Download CSV
        </a>
        <PrintButton />
        <Link className="button secondary" to={`${base}/report?survey=${survey.id}`}>
          Report
        </Link>
      </div>
      {surveys.length > 1 ? (
        <nav className="split-nav no-print" aria-label="Survey">
          <span className="split-title">Survey:</span>
          {surveys.map((s) => (
            <Link key={s.id} className={`chip${s.id === survey.id ? " active" : ""}`} to={`?survey=${s.id}`}>
              {s.title}
            </Link>
          ))}
        </nav>
      ) : null}
      <nav className="split-nav no-print" aria-label="Rows per group">
        <span className="split-title">Rows per group:</span>
        <Link className={`chip${by ? "" : " active"}`} to={q({ by: null })} aria-current={by ? undefined : "page"}>
          None
        </Link>
        {splits.map((s) => (
          <Link key={s.id} className={`chip${by === s.id ? " active" : ""}`} to={q({ by: s.id })} aria-current={by === s.id ? "page" : undefined}>
            {s.label}
          </Link>
        ))}
        <span className="split-hint">one split at a time, by round</span>
      </nav>
      <section className="card">
        <TrackingTable table={table} caption={`Indicator tracking table${table.split ? `, by ${table.split.label.toLowerCase()}` : ""}`} />
        <p className="tracking-source">
          <strong>Data source:</strong> {table.source}. <strong>Frequency:</strong> {table.frequency}.
        </p>
      </section>

      {canEdit ? (
        <section className="card target-edit no-print" aria-labelledby="targets-h">
          <h2 id="targets-h">Baseline and targets</h2>
          <p className="muted">Targets in % for shares and in scale points for means; leave a round empty for no target.</p>
          {plans.map((p) => {
            const mine = result?.indicatorId === p.id ? result : null;
            return (
              <Form key={p.id} method="post" className="target-plan" aria-label={`Targets for ${p.label}`}>
                <h3>{p.label}</h3>
                <CsrfField />
                <input type="hidden" name="survey" value={survey.id} />
                <input type="hidden" name="indicator" value={p.id} />
                <div className="target-form">
                  <label>
                    Baseline round
                    <select name="baseline" defaultValue={p.baselineRoundId} aria-invalid={mine?.field === "baseline" ? true : undefined}>
                      <option value="">The programme's baseline</option>
                      {table.rounds.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </label>
                  {table.rounds.map((r) => (
                    <label key={r.id}>
                      {`${r.label} target${p.kind === "share" ? " (%)" : ""}`}
                      <input
                        name={`target.${r.id}`}
                        inputMode="decimal"
                        defaultValue={p.targets[r.id] ?? ""}
                        aria-invalid={mine?.field === `target.${r.id}` ? true : undefined}
                      />
                    </label>
                  ))}
                  <button type="submit" className="primary" disabled={busy}>
                    Save targets
                  </button>
                </div>
                {mine ? (
                  <p role={mine.field ? "alert" : "status"} className={mine.field ? "error" : "notice"}>
                    {mine.message}
                  </p>
                ) : null}
              </Form>
            );
          })}
        </section>
      ) : null}

      <section className="card method" aria-labelledby="status-h">
        <h2 id="status-h">How the status is decided</h2>
        <ul>
          {Object.entries(STATUS_RULES).map(([k, v]) => (
            <li key={k}>
              <strong>{k}</strong>: {v}.
            </li>
          ))}
          {METHOD_NOTES.filter((n) => !n.startsWith("Status")).map((n) => (
            <li key={n}>{n}</li>
          ))}
          <li>Disclosure control: {table.suppressionNote}</li>
        </ul>
      </section>

      <section aria-labelledby="ref-h">
        <h2 id="ref-h">Indicator reference sheets</h2>
        {sheets.map((s) => (
          <details key={s.indicatorId} className="card ref-sheet">
            <summary>{s.title}</summary>
            <dl>
              {s.entries.map((e, i) => (
                <div key={i} style={{ display: "contents" }}>
                  <dt>{e.label}</dt>
                  <dd>{e.value}</dd>
                </div>
              ))}
            </dl>
          </details>
        ))}
      </section>
    </div>
  );
}
