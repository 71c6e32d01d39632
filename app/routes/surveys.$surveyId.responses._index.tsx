// A survey's responses (facilitators and administrators): filter by round, community, session, date,
// language, source, device and review status, page through newest first, open one to review it.
import { Form, Link, useLoaderData } from "@remix-run/react";
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { getLatestVersion } from "~/models/surveys.server";
import { listCommunities } from "~/models/programmes.server";
import { listRounds } from "~/models/rounds.server";
import { listSessions } from "~/models/sessions-fg.server";
import { ResponseFiltersSchema, responsePage, surveyDevices, type ResponseFilters } from "~/models/response-review.server";
import { RESPONSE_SOURCES, REVIEW_STATUSES } from "~/models/review-statuses";
import { Notice } from "~/ui/forms";
import responsesStylesHref from "~/ui/responses/responses.css?url";
import { wordsFor } from "~/i18n/staff.server";
import { responses as responsesWords, type ResponsesWords } from "~/i18n/staff/responses";
import { useWords } from "~/i18n/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: responsesStylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{title}", data.survey.title) : "Responses" }];

const FILTER_NAMES = ["round", "community", "session", "from", "to", "language", "source", "device", "review"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const url = new URL(request.url);
  const raw = Object.fromEntries([...url.searchParams].filter(([k, v]) => v !== "" && ([...FILTER_NAMES, "after"] as string[]).includes(k)));
  const parsed = ResponseFiltersSchema.safeParse(raw);
  // A filter that is not understood is named and left out, rather than silently showing everything.
  const { words, t } = await wordsFor(context.db, request, viewer.id, responsesWords);
  // Named by the filter's own (URL) name, a code the same in every language, with what to do.
  const advice = (field: string) => t(field === "from" || field === "to" ? "dateLike" : field === "review" ? "chooseReviewFilter" : "filterTooLong");
  const problems = parsed.success ? [] : [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].map((field) => `${field}: ${advice(field)}`);
  const filters: ResponseFilters = parsed.success ? parsed.data : Object.fromEntries(Object.entries(raw).filter(([k]) => !parsed.error.issues.some((i) => i.path[0] === k)));
  const [latest, communities, rounds, sessions, devices, page] = await Promise.all([
    getLatestVersion(context.db, survey.id),
    listCommunities(context.db, viewer, survey.programmeId),
    listRounds(context.db, survey.programmeId),
    listSessions(context.db, [survey.id]),
    surveyDevices(context.db, survey.id),
    responsePage(context.db, survey.id, filters),
  ]);
  return data(
    {
      words,
      survey: { id: survey.id, title: survey.title, programmeId: survey.programmeId },
      filters,
      problems,
      languages: latest?.definition.languages.map((l) => ({ code: l.code, name: l.name })) ?? [],
      communities: communities.map((c) => ({ id: c.id, name: c.name })),
      rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
      sessions: sessions.map((s) => ({ id: s.id, label: [s.heldOn, s.communityName, s.groupDescription].filter(Boolean).join(" · ") || s.id.slice(0, 8) })),
      devices,
      page,
    },
    { status: problems.length ? 400 : 200 },
  );
}

const fmt = (iso: string) => iso.slice(0, 16).replace("T", " ");

export default function ResponsesPage() {
  const d = useLoaderData<typeof loader>();
  const t = useWords(d.words);
  const f = d.filters;
  const query = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...f, after: undefined, ...extra })) if (v) p.set(k, v);
    return `?${p.toString()}`;
  };
  const select = (name: (typeof FILTER_NAMES)[number], label: string, options: { value: string; label: string }[]) => (
    <div className="filter-field">
      <label htmlFor={`rf-${name}`}>{label}</label>
      <select id={`rf-${name}`} name={name} defaultValue={(f as Record<string, string | undefined>)[name] ?? ""}>
        <option value="">{t("all")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="responses-page">
      <p className="breadcrumbs">
        <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${d.survey.programmeId}`}>{t("programme")}</Link> › <Link to={`/surveys/${d.survey.id}`}>{d.survey.title}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede")}</p>
      {d.problems.length ? (
        <Notice kind="error">{t("badFilters", { list: d.problems.join("; ") })}</Notice>
      ) : null}
      <Form method="get" className="response-filters" aria-label={t("filterResponses")}>
        {select("round", t("round"), d.rounds.map((r) => ({ value: r.id, label: r.name })))}
        {select("community", t("community"), d.communities.map((c) => ({ value: c.id, label: c.name })))}
        {select("session", t("session"), d.sessions.map((s) => ({ value: s.id, label: s.label })))}
        <div className="filter-field">
          <label htmlFor="rf-from">{t("receivedFrom")}</label>
          <input id="rf-from" type="date" name="from" defaultValue={f.from ?? ""} />
        </div>
        <div className="filter-field">
          <label htmlFor="rf-to">{t("receivedTo")}</label>
          <input id="rf-to" type="date" name="to" defaultValue={f.to ?? ""} />
        </div>
        {select("language", t("language"), d.languages.map((l) => ({ value: l.code, label: l.name })))}
        {select("source", t("source"), Object.keys(RESPONSE_SOURCES).map((value) => ({ value, label: t(`source.${value}` as keyof ResponsesWords) })))}
        {select("device", t("device"), d.devices.map((x) => ({ value: x.id, label: x.label })))}
        {select("review", t("review"), [{ value: "none", label: t("notReviewed") }, ...Object.keys(REVIEW_STATUSES).map((value) => ({ value, label: t(`status.${value}` as keyof ResponsesWords) }))])}
        <div className="filter-actions">
          <button type="submit" className="primary">
            {t("filter")}
          </button>
          <Link to="?" className="button secondary">
            {t("clear")}
          </Link>
        </div>
      </Form>
      {d.page.rows.length === 0 ? (
        <p className="empty">{f.after ? t("noneMatchAfter") : t("noneMatch")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data responses-table">
            <caption className="visually-hidden">{t("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("received")}</th>
                <th scope="col">{t("collected")}</th>
                <th scope="col">{t("community")}</th>
                <th scope="col">{t("round")}</th>
                <th scope="col">{t("language")}</th>
                <th scope="col">{t("source")}</th>
                <th scope="col">{t("device")}</th>
                <th scope="col">{t("review")}</th>
              </tr>
            </thead>
            <tbody>
              {d.page.rows.map((r) => (
                <tr key={r.id} className={r.excluded ? "excluded" : undefined}>
                  <td data-label={t("received")}>
                    <Link to={`${r.id}${query({})}`} aria-label={t("openResponse", { time: fmt(r.submittedAt) })}>
                      {fmt(r.submittedAt)}
                    </Link>
                  </td>
                  <td data-label={t("collected")}>{fmt(r.collectedAt)}</td>
                  <td data-label={t("community")}>{r.community ?? "—"}</td>
                  <td data-label={t("round")}>{r.round ?? "—"}</td>
                  <td data-label={t("language")}>{r.language}</td>
                  <td data-label={t("source")}>{r.source in RESPONSE_SOURCES ? t(`source.${r.source}` as keyof ResponsesWords) : r.source}</td>
                  <td data-label={t("device")}>{r.device ?? "—"}</td>
                  <td data-label={t("review")}>
                    {r.reviewStatus ? <span className={`tag review-${r.reviewStatus}`}>{t(`status.${r.reviewStatus}`)}</span> : <span className="muted">{t("notReviewed")}</span>}
                    {r.excluded ? <span className="tag off">{t("excluded")}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label={t("pages")}>
        {f.after ? <Link to={query({})}>{t("firstPage")}</Link> : null}
        {d.page.next ? (
          <Link to={query({ after: d.page.next })} className="button secondary">
            {t("next", { n: d.page.rows.length })}
          </Link>
        ) : d.page.rows.length ? (
          <span className="muted">{t("lastPage")}</span>
        ) : null}
      </nav>
    </div>
  );
}
