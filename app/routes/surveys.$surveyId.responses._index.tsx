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

export const links: LinksFunction = () => [{ rel: "stylesheet", href: responsesStylesHref }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Responses · ${data?.survey.title ?? "Survey"} · Safety perception surveys` }];

const FILTER_NAMES = ["round", "community", "session", "from", "to", "language", "source", "device", "review"] as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const url = new URL(request.url);
  const raw = Object.fromEntries([...url.searchParams].filter(([k, v]) => v !== "" && ([...FILTER_NAMES, "after"] as string[]).includes(k)));
  const parsed = ResponseFiltersSchema.safeParse(raw);
  // A filter that is not understood is named and left out, rather than silently showing everything.
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
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
        <option value="">All</option>
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
        <Link to="/">Programmes</Link> › <Link to={`/programmes/${d.survey.programmeId}`}>Programme</Link> › <Link to={`/surveys/${d.survey.id}`}>{d.survey.title}</Link> ›
      </p>
      <h1>Responses</h1>
      <p className="lede">Newest first. Open a response to read its answers, review it, or take it out of the figures.</p>
      {d.problems.length ? (
        <Notice kind="error">
          Some filters were not understood and are left out: {d.problems.join("; ")}
        </Notice>
      ) : null}
      <Form method="get" className="response-filters" aria-label="Filter responses">
        {select("round", "Round", d.rounds.map((r) => ({ value: r.id, label: r.name })))}
        {select("community", "Community", d.communities.map((c) => ({ value: c.id, label: c.name })))}
        {select("session", "Session", d.sessions.map((s) => ({ value: s.id, label: s.label })))}
        <div className="filter-field">
          <label htmlFor="rf-from">Received from</label>
          <input id="rf-from" type="date" name="from" defaultValue={f.from ?? ""} />
        </div>
        <div className="filter-field">
          <label htmlFor="rf-to">Received to</label>
          <input id="rf-to" type="date" name="to" defaultValue={f.to ?? ""} />
        </div>
        {select("language", "Language", d.languages.map((l) => ({ value: l.code, label: l.name })))}
        {select("source", "Source", Object.entries(RESPONSE_SOURCES).map(([value, label]) => ({ value, label })))}
        {select("device", "Device or link", d.devices.map((x) => ({ value: x.id, label: x.label })))}
        {select("review", "Review", [{ value: "none", label: "Not reviewed" }, ...Object.entries(REVIEW_STATUSES).map(([value, label]) => ({ value, label }))])}
        <div className="filter-actions">
          <button type="submit" className="primary">
            Filter
          </button>
          <Link to="?" className="button secondary">
            Clear
          </Link>
        </div>
      </Form>
      {d.page.rows.length === 0 ? (
        <p className="empty">No responses match these filters{f.after ? " after this point" : ""}.</p>
      ) : (
        <div className="table-wrap">
          <table className="data responses-table">
            <caption className="visually-hidden">Responses, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Collected</th>
                <th scope="col">Community</th>
                <th scope="col">Round</th>
                <th scope="col">Language</th>
                <th scope="col">Source</th>
                <th scope="col">Device or link</th>
                <th scope="col">Review</th>
              </tr>
            </thead>
            <tbody>
              {d.page.rows.map((r) => (
                <tr key={r.id} className={r.excluded ? "excluded" : undefined}>
                  <td data-label="Received">
                    <Link to={`${r.id}${query({})}`} aria-label={`Open the response received ${fmt(r.submittedAt)}`}>
                      {fmt(r.submittedAt)}
                    </Link>
                  </td>
                  <td data-label="Collected">{fmt(r.collectedAt)}</td>
                  <td data-label="Community">{r.community ?? "—"}</td>
                  <td data-label="Round">{r.round ?? "—"}</td>
                  <td data-label="Language">{r.language}</td>
                  <td data-label="Source">{RESPONSE_SOURCES[r.source] ?? r.source}</td>
                  <td data-label="Device or link">{r.device ?? "—"}</td>
                  <td data-label="Review">
                    {r.reviewStatus ? <span className={`tag review-${r.reviewStatus}`}>{REVIEW_STATUSES[r.reviewStatus]}</span> : <span className="muted">Not reviewed</span>}
                    {r.excluded ? <span className="tag off">excluded</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {f.after ? <Link to={query({})}>First page</Link> : null}
        {d.page.next ? (
          <Link to={query({ after: d.page.next })} className="button secondary">
            Next {d.page.rows.length} →
          </Link>
        ) : d.page.rows.length ? (
          <span className="muted">Last page</span>
        ) : null}
      </nav>
    </div>
  );
}
