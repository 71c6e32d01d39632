// The indicator tracking table: baseline, targets and actuals per round, status, data source and
// frequency; managers set each indicator's baseline round and targets here. Downloads: .xlsx, CSV, print.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm, requireViewer } from "~/auth.server";
import { loadDashboardContext } from "~/dashboard/context.server";
import { DATE_TARGET_ROWS, readPlanForm } from "~/dashboard/plan-form";
import { referenceSheets } from "~/dashboard/tracking-files.server";
import { loadTrackingPage } from "~/dashboard/tracking-page.server";
import { STATUS_RULES } from "~/dashboard/tracking";
import { METHOD_NOTES } from "~/dashboard/reference-sheet";
import { canSetTargets, PlanInputError, setIndicatorPlan } from "~/models/indicator-targets.server";
import { linkIndicators, unlinkIndicator } from "~/models/indicator-links.server";
import { getLatestVersion } from "~/models/surveys.server";
import { roleIn } from "~/models/programmes.server";
import { formatValue } from "~/dashboard/view";
import { CsrfField } from "~/ui/forms";
import { wordsFor } from "~/i18n/staff.server";
import { useWords } from "~/i18n/staff";
import { tracking } from "~/i18n/staff/tracking";
import { PrintButton } from "~/ui/dashboard/PrintButton";
import { TrackingTable } from "~/ui/dashboard/TrackingTable";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import trackingStylesHref from "~/ui/dashboard/tracking.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dashboardStylesHref },
  { rel: "stylesheet", href: trackingStylesHref },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tracking table" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, programme, ctx, table, canEdit, choices } = await loadTrackingPage(request, context, params.programmeId!);
  const { words, t } = await wordsFor(context.db, request, viewer.id, tracking);
  const base = { programme: { id: programme.id, name: programme.name }, canEdit, choices, words, title: t("pageTitle", { programme: programme.name }) };
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
        dates: (plan?.dates ?? []).map((d) => ({ on: d.on, value: formatValue(ind.kind, d.value) })),
        linked: table.rows.find((r) => r.indicatorId === ind.id)!.linked,
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
  const { t } = await wordsFor(context.db, request, viewer.id, tracking);
  const intent = String(form.get("intent") ?? "targets");
  const refused = (e: unknown) => {
    if (e instanceof PlanInputError) return data({ indicatorId: indicator.id, field: e.field, intent, message: e.message }, { status: 400 });
    throw e;
  };
  if (intent === "unlink") {
    await unlinkIndicator(context.db, viewer, { programmeId: found.programme.id, surveyId: ctx.survey.id, indicatorId: indicator.id });
    return { indicatorId: indicator.id, field: null, intent, message: t("unlinked") };
  }
  if (intent === "link") {
    // "surveyId indicatorId" of one of the programme's other surveys the viewer sees.
    const [otherId, otherIndicatorId] = String(form.get("link") ?? "").split(" ");
    const other = ctx.surveys.find((s) => s.id === otherId && s.latestVersion > 0);
    if (!other || !otherIndicatorId) return data({ indicatorId: indicator.id, field: "link", intent, message: "Choose an indicator of another survey of this programme." }, { status: 400 });
    try {
      await linkIndicators(context.db, viewer, {
        programmeId: found.programme.id,
        survey: { id: ctx.survey.id, title: ctx.survey.title, definition: ctx.survey.definition },
        indicatorId: indicator.id,
        other: { id: other.id, title: other.title, definition: (await getLatestVersion(context.db, other.id))!.definition },
        otherIndicatorId,
      });
    } catch (e) {
      return refused(e);
    }
    return { indicatorId: indicator.id, field: null, intent, message: t("linked") };
  }
  const roundIds = ctx.rounds.map((r) => r.id);
  const parsed = readPlanForm(form, indicator, roundIds);
  if (!parsed.ok) return data({ indicatorId: indicator.id, field: parsed.field, intent, message: parsed.message }, { status: 400 });
  try {
    await setIndicatorPlan(context.db, viewer, { programmeId: found.programme.id, surveyId: ctx.survey.id, indicator, roundIds, ...parsed });
  } catch (e) {
    return refused(e);
  }
  return { indicatorId: indicator.id, field: null, intent, message: t("targetsSaved") };
}

const RULES = {
  "target met": ["statusMet", "ruleMet"],
  "on track": ["statusOnTrack", "ruleOnTrack"],
  "not on track": ["statusNotOnTrack", "ruleNotOnTrack"],
  "not enough data": ["statusNoData", "ruleNoData"],
} as const;

export default function Tracking() {
  const { programme, survey, table, sheets, surveys, splits, by, plans, canEdit, choices, words } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const base = `/programmes/${programme.id}`;
  if (!survey || !table) {
    return (
      <div>
        <p className="breadcrumbs">
          <Link to="/">{t("programmes")}</Link> › <Link to={base}>{programme.name}</Link> ›
        </p>
        <h1>{t("caption")}</h1>
        <p className="empty">{t("noSurvey")}</p>
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
        <Link to="/">{t("programmes")}</Link> › <Link to={base}>{programme.name}</Link> › <Link to={`${base}/dashboard?survey=${survey.id}`}>{t("dashboard")}</Link> ›
      </p>
      <h1>{t("heading", { programme: programme.name })}</h1>
      <p className="lede">{t("lede", { survey: survey.title, min: table.minCellSize })}</p>
      <div className="dashboard-links no-print">
        <a className="button secondary" href={`${base}/tracking.xlsx${q({})}`} download>
          {t("downloadXlsx")}
        </a>
        <a className="button secondary" href={`${base}/tracking.csv${q({})}`} download>
          {t("downloadCsv")}
        </a>
        <PrintButton label={t("print")} />
        <Link className="button secondary" to={`${base}/report?survey=${survey.id}`}>
          {t("report")}
        </Link>
      </div>
      {surveys.length > 1 ? (
        <nav className="split-nav no-print" aria-label={t("survey").replace(/\s*:$/, "")}>
          <span className="split-title">{t("survey")}</span>
          {surveys.map((s) => (
            <Link key={s.id} className={`chip${s.id === survey.id ? " active" : ""}`} to={`?survey=${s.id}`}>
              {s.title}
            </Link>
          ))}
        </nav>
      ) : null}
      <nav className="split-nav no-print" aria-label={t("rowsPerGroup").replace(/\s*:$/, "")}>
        <span className="split-title">{t("rowsPerGroup")}</span>
        <Link className={`chip${by ? "" : " active"}`} to={q({ by: null })} aria-current={by ? undefined : "page"}>
          {t("none")}
        </Link>
        {splits.map((s) => (
          <Link key={s.id} className={`chip${by === s.id ? " active" : ""}`} to={q({ by: s.id })} aria-current={by === s.id ? "page" : undefined}>
            {s.label}
          </Link>
        ))}
        <span className="split-hint">{t("splitHint")}</span>
      </nav>
      <section className="card">
        <TrackingTable table={table} words={words} caption={table.split ? t("captionBy", { split: table.split.label.toLowerCase() }) : t("caption")} />
        <p className="tracking-source">
          {/* Built on the server in English (shared with the workbook), and marked so. */}
          <strong>{t("dataSource")}</strong> <span lang="en">{table.source}</span>. <strong>{t("frequency")}</strong> <span lang="en">{table.frequency}</span>.
        </p>
      </section>

      {canEdit ? (
        <section className="card target-edit no-print" aria-labelledby="targets-h">
          <h2 id="targets-h">{t("targetsHeading")}</h2>
          <p className="muted">{t("targetsHint")}</p>
          {plans.map((p) => {
            const mine = result?.indicatorId === p.id && result.intent === "targets" ? result : null;
            return (
              <Form key={p.id} method="post" className="target-plan" aria-label={t("targetsFor", { indicator: p.label })}>
                <h3>{p.label}</h3>
                <CsrfField />
                <input type="hidden" name="survey" value={survey.id} />
                <input type="hidden" name="indicator" value={p.id} />
                <div className="target-form">
                  <label>
                    {t("baselineRound")}
                    <select name="baseline" defaultValue={p.baselineRoundId} aria-invalid={mine?.field === "baseline" ? true : undefined}>
                      <option value="">{t("programmeBaseline")}</option>
                      {table.rounds.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </label>
                  {table.rounds.map((r) => (
                    <label key={r.id}>
                      {t(p.kind === "share" ? "roundTargetPercent" : "roundTarget", { round: r.label })}
                      <input
                        name={`target.${r.id}`}
                        inputMode="decimal"
                        defaultValue={p.targets[r.id] ?? ""}
                        aria-invalid={mine?.field === `target.${r.id}` ? true : undefined}
                      />
                    </label>
                  ))}
                </div>
                <details className="date-targets" open={p.dates.length > 0 || undefined}>
                  <summary>{t(p.kind === "share" ? "dateTargetsPercent" : "dateTargets")}</summary>
                  {Array.from({ length: Math.max(DATE_TARGET_ROWS, p.dates.length + 1) }, (_, k) => (
                    <div key={k} className="date-target">
                      <label>
                        {t("date")}
                        <input type="date" name={`dateTarget.${k}.on`} defaultValue={p.dates[k]?.on ?? ""} aria-invalid={mine?.field === `dateTarget.${k}.on` ? true : undefined} />
                      </label>
                      <label>
                        {t("target")}
                        <input
                          name={`dateTarget.${k}.value`}
                          inputMode="decimal"
                          defaultValue={p.dates[k]?.value ?? ""}
                          aria-invalid={mine?.field === `dateTarget.${k}.value` ? true : undefined}
                        />
                      </label>
                    </div>
                  ))}
                </details>
                <button type="submit" className="primary" name="intent" value="targets" disabled={busy}>
                  {t("saveTargets")}
                </button>
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

      {canEdit && (choices.length || plans.some((p) => p.linked)) ? (
        <section className="card link-edit no-print" aria-labelledby="links-h">
          <h2 id="links-h">{t("linksHeading")}</h2>
          <p className="muted">{t("linksHint")}</p>
          {plans.map((p) => {
            const mine = result?.indicatorId === p.id && (result.intent === "link" || result.intent === "unlink") ? result : null;
            return (
              <Form key={p.id} method="post" className="link-plan" aria-label={t("linkFor", { indicator: p.label })}>
                <CsrfField />
                <input type="hidden" name="survey" value={survey.id} />
                <input type="hidden" name="indicator" value={p.id} />
                <span className="link-label">{p.label}</span>
                {p.linked ? (
                  <>
                    <span> {t("continues", { indicator: p.linked.indicatorId, survey: p.linked.title })} </span>
                    <button type="submit" className="secondary" name="intent" value="unlink" disabled={busy}>
                      {t("removeLink")}
                    </button>
                  </>
                ) : (
                  <>
                    <label>
                      <span className="visually-hidden">{t("linkTo", { indicator: p.label })}</span>
                      <select name="link" defaultValue="" aria-invalid={mine?.field === "link" ? true : undefined}>
                        <option value="">{t("notLinked")}</option>
                        {choices.map((c) => (
                          <optgroup key={c.surveyId} label={c.title}>
                            {c.indicators.map((i) => (
                              <option key={i.id} value={`${c.surveyId} ${i.id}`}>
                                {`${i.label} (${i.id})`}
                              </option>
                            ))}
                          </optgroup>
                        ))}
                      </select>
                    </label>
                    <button type="submit" className="secondary" name="intent" value="link" disabled={busy}>
                      {t("link")}
                    </button>
                  </>
                )}
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
        <h2 id="status-h">{t("statusHeading")}</h2>
        <ul>
          {(Object.keys(STATUS_RULES) as (keyof typeof STATUS_RULES)[]).map((k) => (
            <li key={k}>
              <strong>{t(RULES[k][0])}</strong>: {t(RULES[k][1])}.
            </li>
          ))}
          {METHOD_NOTES.filter((n) => !n.startsWith("Status")).map((n) => (
            <li key={n} lang="en">
              {n}
            </li>
          ))}
          <li>{t("disclosure", { note: table.suppressionNote })}</li>
        </ul>
      </section>

      <section aria-labelledby="ref-h">
        <h2 id="ref-h">{t("referenceSheets")}</h2>
        {sheets.map((s) => (
          <details key={s.indicatorId} className="card ref-sheet" lang="en">
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
