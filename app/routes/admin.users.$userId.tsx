// One account: deactivate or reactivate, reset the password, administrator flag, programme roles.
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireAdmin } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { getUser, setPassword, setUserActive, setUserAdmin } from "~/models/users.server";
import { listProgrammes, removeMembership, setMembership } from "~/models/programmes.server";
import { PASSWORD_HINT } from "~/models/password-rules";
import { checkNewPassword } from "~/models/passwords.server";
import { recordAudit } from "~/models/audit.server";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { refuse } from "~/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.user.displayName ?? "Account"} · Administration` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const user = await getUser(context.db, params.userId!);
  if (!user) throw refuse("refused.noAccount", 404);
  const all = await listProgrammes(context.db, viewer);
  const theirs = await listProgrammes(context.db, { ...user, isAdmin: false });
  return { user, programmes: all, memberships: theirs, isSelf: viewer.id === user.id };
}

const passwordSchema = (user: { email: string; displayName: string }) =>
  z.object({ password: z.string() }).superRefine(checkNewPassword("password", () => [user.email, user.displayName]));
const RoleSchema = z.object({
  programmeId: z.string().min(1, "Choose a programme."),
  role: z.enum(["facilitator", "manager"], { message: "Choose facilitator or manager." }),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const form = await readForm(request, context);
  const user = await getUser(context.db, params.userId!);
  if (!user) throw refuse("refused.noAccount", 404);
  const intent = form.get("intent");
  const self = viewer.id === user.id;
  switch (intent) {
    case "deactivate":
      if (self) return data({ intent, error: "You cannot deactivate your own account." }, { status: 400 });
      await setUserActive(context.db, user.id, false);
      await recordAudit(context.db, viewer, { action: "user.deactivate", target: `user ${user.email}` });
      return { intent, ok: `${user.displayName} is deactivated and signed out everywhere.` };
    case "reactivate":
      await setUserActive(context.db, user.id, true);
      await recordAudit(context.db, viewer, { action: "user.reactivate", target: `user ${user.email}` });
      return { intent, ok: `${user.displayName} can sign in again.` };
    case "reset-password": {
      const parsed = parseForm(passwordSchema(user), form);
      if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
      await setPassword(context.db, user.id, parsed.data.password);
      await recordAudit(context.db, viewer, { action: "user.password", target: `user ${user.email}` });
      return { intent, ok: "Password changed; their other sessions have ended. Give them the new password in person." };
    }
    case "toggle-admin":
      if (self) return data({ intent, error: "You cannot remove your own administrator rights." }, { status: 400 });
      await setUserAdmin(context.db, user.id, !user.isAdmin);
      await recordAudit(context.db, viewer, { action: "user.admin", target: `user ${user.email}`, details: { admin: !user.isAdmin } });
      return { intent, ok: user.isAdmin ? "No longer an administrator." : "Now a site administrator." };
    case "set-role": {
      const parsed = parseForm(RoleSchema, form);
      if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
      await setMembership(context.db, { userId: user.id, ...parsed.data });
      await recordAudit(context.db, viewer, { action: "membership.set", programmeId: parsed.data.programmeId, target: `user ${user.email}`, details: { role: parsed.data.role } });
      return { intent, ok: "Membership saved." };
    }
    case "remove-role":
      await removeMembership(context.db, user.id, String(form.get("programmeId")));
      await recordAudit(context.db, viewer, { action: "membership.remove", programmeId: String(form.get("programmeId")), target: `user ${user.email}` });
      return { intent, ok: "Removed from the programme." };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function AdminUser() {
  const { user, programmes, memberships, isSelf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const { errors } = formFeedback(result);
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/admin">Administration</Link> ›
      </p>
      <h1>{user.displayName}</h1>
      <p className="lede">
        {user.email} {user.isAdmin ? <span className="tag warn">administrator</span> : null}{" "}
        {user.active ? <span className="tag">active</span> : <span className="tag off">deactivated</span>}
      </p>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      {result && "error" in result ? <Notice kind="error">{result.error}</Notice> : null}
      <div className="split">
        <section className="card" aria-labelledby="memberships-h">
          <h2 id="memberships-h">Programmes</h2>
          {memberships.length === 0 ? <p className="empty">Not a member of any programme.</p> : null}
          <ul className="member-list">
            {memberships.map((p) => (
              <li key={p.id}>
                <span>
                  <Link to={`/programmes/${p.id}`}>{p.name}</Link> <span className="tag">{p.role}</span>
                </span>
                <Form key={resetKey} method="post" className="inline">
                  <CsrfField />
                  <input type="hidden" name="intent" value="remove-role" />
                  <input type="hidden" name="programmeId" value={p.id} />
                  <button type="submit" className="danger small" aria-label={`Remove from ${p.name}`}>
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          {programmes.length > 0 ? (
            <Form key={resetKey} method="post">
              <h3>Add to a programme or change role</h3>
              <CsrfField />
              <input type="hidden" name="intent" value="set-role" />
              <div className="form-row">
                <Field label="Programme" name="programmeId" error={errors.programmeId}>
                  <select id="f-programmeId" name="programmeId">
                    {programmes.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label="Role" name="role" error={errors.role}>
                  <select id="f-role" name="role">
                    <option value="facilitator">Facilitator</option>
                    <option value="manager">Manager</option>
                  </select>
                </Field>
              </div>
              <button type="submit" className="secondary">
                Save membership
              </button>
            </Form>
          ) : null}
        </section>
        <aside>
          <section className="card" aria-labelledby="password-h">
            <h2 id="password-h">Reset password</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="reset-password" />
              <Field label="New password" name="password" type="password" error={errors.password} autoComplete="new-password" hint={PASSWORD_HINT} />
              <button type="submit" className="secondary">
                Set password
              </button>
            </Form>
          </section>
          {!isSelf ? (
            <section className="card" aria-labelledby="access-h">
              <h2 id="access-h">Access</h2>
              <Form key={resetKey} method="post" className="actions">
                <CsrfField />
                {user.active ? (
                  <button type="submit" name="intent" value="deactivate" className="danger">
                    Deactivate account
                  </button>
                ) : (
                  <button type="submit" name="intent" value="reactivate" className="secondary">
                    Reactivate account
                  </button>
                )}
                <button type="submit" name="intent" value="toggle-admin" className="secondary">
                  {user.isAdmin ? "Remove administrator rights" : "Make administrator"}
                </button>
              </Form>
              <p className="hint">Deactivation signs the person out everywhere at once and stops their API tokens.</p>
            </section>
          ) : null}
        </aside>
      </div>
    </>
  );
}
