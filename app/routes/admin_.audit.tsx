// The audit log, for administrators: who exported, imported, excluded, restored, published, or
// changed memberships and tokens, and when. Read-only: the app has no way to change it.
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { listAudit } from "~/models/audit.server";
import { AUDIT_ACTIONS } from "~/models/audit-actions";

export const meta: MetaFunction = () => [{ title: "Audit log · Administration" }];

// Families in the order their actions are listed: a new action's family appears by itself.
const FAMILIES = [...new Set(AUDIT_ACTIONS.map((a) => a.split(".")[0]))];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const url = new URL(request.url);
  const action = url.searchParams.get("action") ?? "";
  const before = Number(url.searchParams.get("before") ?? 0) || undefined;
  const known = FAMILIES.includes(action) || (AUDIT_ACTIONS as readonly string[]).includes(action);
  const entries = await listAudit(context.db, { action: known ? action : undefined, before, limit: 100 });
  return { entries, action: known ? action : "" };
}

export default function AuditLog() {
  const { entries, action } = useLoaderData<typeof loader>();
  const last = entries[entries.length - 1];
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/admin">Administration</Link> ›
      </p>
      <h1>Audit log</h1>
      <p className="lede">Every raw export, import, exclusion, publication and change of access, newest first. Entries cannot be changed or deleted.</p>
      <form method="get" className="actions audit-filter">
        <label htmlFor="audit-action">Show</label>
        <select id="audit-action" name="action" defaultValue={action}>
          <option value="">Everything</option>
          {FAMILIES.map((f) => (
            <optgroup key={f} label={f}>
              <option value={f}>All {f} entries</option>
              {AUDIT_ACTIONS.filter((a) => a.startsWith(`${f}.`)).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button type="submit" className="secondary small">
          Filter
        </button>
      </form>
      {entries.length === 0 ? (
        <p className="empty">Nothing recorded{action ? ` for ${action}` : ""}.</p>
      ) : (
        <div className="table-wrap">
          <table className="data audit">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.at.replace("T", " ").slice(0, 19)}</td>
                  <td>{e.actorName || "—"}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.surveyId ? <Link to={`/surveys/${e.surveyId}`}>{e.target}</Link> : e.target}
                  </td>
                  <td className="details">
                    {Object.entries(e.details)
                      .filter(([, v]) => v !== null && v !== "")
                      .map(([k, v]) => `${k}: ${detailText(v)}`)
                      .join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {last && entries.length === 100 ? (
        <p>
          <Link to={`?${new URLSearchParams({ ...(action ? { action } : {}), before: String(last.id) })}`}>Older entries</Link>
        </p>
      ) : null}
    </>
  );
}

/** A detail as a person reads it: a change as "old → new", anything else as its value. */
function detailText(v: unknown): string {
  if (v && typeof v === "object" && "from" in v && "to" in v) return `${String((v as { from: unknown }).from)} → ${String((v as { to: unknown }).to)}`;
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}
