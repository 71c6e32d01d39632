// Focus-group sessions of a programme's surveys: when, where, which group, on which tablet and run by whom, how many took part,
// and what the facilitator noted.
import { Link, useLoaderData } from "@remix-run/react";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { getProgramme } from "~/models/programmes.server";
import { listSurveys } from "~/models/surveys.server";
import { listSessions } from "~/models/sessions-fg.server";
import dashboardStylesHref from "~/ui/dashboard/dashboard.css?url";
import { refuse } from "~/refusal.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Focus-group sessions · ${data?.programme.name ?? "Programme"}` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const programme = await getProgramme(context.db, viewer, params.programmeId!);
  if (!programme) throw refuse("refused.noProgramme", 404);
  const surveys = await listSurveys(context.db, viewer, programme.id);
  const sessions = await listSessions(context.db, surveys.map((s) => s.id));
  return { programme: { id: programme.id, name: programme.name }, sessions };
}

export default function Sessions() {
  const { programme, sessions } = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/">Programmes</Link> › <Link to={`/programmes/${programme.id}`}>{programme.name}</Link> › <Link to={`/programmes/${programme.id}/dashboard`}>Dashboard</Link> ›
      </p>
      <h1>Focus-group sessions</h1>
      <p className="lede">Responses collected in a session come from one group on one tablet: the dashboard labels their results as indicative.</p>
      {sessions.length === 0 ? (
        <p className="empty">No focus-group sessions yet.</p>
      ) : (
        <div className="table-scroll card">
          <table className="data-table">
            <caption>Sessions, most recent first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Community</th>
                <th scope="col">Round</th>
                <th scope="col">Group</th>
                <th scope="col">Tablet</th>
                <th scope="col">Facilitator</th>
                <th scope="col">Participants</th>
                <th scope="col">Responses</th>
                <th scope="col">Refusals</th>
                <th scope="col">Facilitator's notes</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.heldOn}</th>
                  <td>{s.communityName ?? "—"}</td>
                  <td>{s.roundName ?? "by date"}</td>
                  <td>{s.groupDescription || "—"}</td>
                  <td data-col="device">{s.deviceName ?? "—"}</td>
                  <td data-col="facilitator">{s.facilitatorName ?? "—"}</td>
                  <td>{s.participantCount ?? "—"}</td>
                  <td>{s.responses}</td>
                  <td>{s.refusals}</td>
                  <td>{s.notes || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
