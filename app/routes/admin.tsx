// Administration: every programme and every account, and forms to create both.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireAdmin } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { createProgramme, listProgrammes } from "~/models/programmes.server";
import { recordAudit } from "~/models/audit.server";
import { createUser, EmailTakenError, listUsers } from "~/models/users.server";
import { PASSWORD_HINT } from "~/models/password-rules";
import { checkNewPassword } from "~/models/passwords.server";
import { ProgrammeSchema } from "~/models/programme-forms";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { refuse } from "~/refusal.server";

export const meta: MetaFunction = () => [{ title: "Administration · Safety perception surveys" }];

const UserSchema = z.object({
  displayName: z.string().trim().min(1, "Enter the person's name.").max(120),
  email: z.string().trim().email("Enter a valid email address."),
  password: z.string(),
  isAdmin: z.literal("on").optional(),
}).superRefine(checkNewPassword("password", (v) => [v.email, v.displayName]));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const [programmes, users] = await Promise.all([listProgrammes(context.db, viewer), listUsers(context.db)]);
  return { programmes, users };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer } = await requireAdmin(request, context);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "create-programme") {
    const parsed = parseForm(ProgrammeSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const id = await createProgramme(context.db, parsed.data);
    await recordAudit(context.db, viewer, { action: "programme.create", programmeId: id, target: `programme “${parsed.data.name}”`, details: { ...parsed.data } });
    return redirect(`/programmes/${id}`);
  }
  if (intent === "create-user") {
    const parsed = parseForm(UserSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      const user = await createUser(context.db, { ...parsed.data, isAdmin: parsed.data.isAdmin === "on" });
      await recordAudit(context.db, viewer, { action: "user.create", target: user.email, details: { isAdmin: user.isAdmin } });
      return { intent, ok: `Created an account for ${user.displayName}. Give them their email and password in person.` };
    } catch (e) {
      if (e instanceof EmailTakenError)
        return data({ intent, errors: { email: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function Admin() {
  const { programmes, users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const busy = useNavigation().state !== "idle";
  const { errors: pe, values: pv } = formFeedback(result, "create-programme");
  const { errors: ue, values: uv } = formFeedback(result, "create-user");
  return (
    <>
      <h1>Administration</h1>
      <p className="lede">Programmes, communities and the people who work on them. <Link to="/admin/audit">Audit log</Link></p>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}

      <div className="split">
        <section className="card" aria-labelledby="programmes-h">
          <h2 id="programmes-h">Programmes</h2>
          {programmes.length === 0 ? (
            <p className="empty">No programmes yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Programme</th>
                    <th scope="col">Country</th>
                    <th scope="col">Communities</th>
                  </tr>
                </thead>
                <tbody>
                  {programmes.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/programmes/${p.id}`}>{p.name}</Link>
                      </td>
                      <td>{p.country || "—"}</td>
                      <td>{p.communityCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="new-programme-h">
          <h2 id="new-programme-h">New programme</h2>
          <Form key={resetKey} method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="create-programme" />
            <Field label="Name" name="name" defaultValue={pv.name} error={pe.name} required />
            <Field label="Country" name="country" defaultValue={pv.country} error={pe.country} />
            <Field label="Description" name="description" error={pe.description}>
              <textarea id="f-description" name="description" defaultValue={pv.description} rows={3} />
            </Field>
            <Field
              label="Minimum cell size"
              name="minCellSize"
              type="number"
              min={3}
              max={100}
              defaultValue={pv.minCellSize ?? 5}
              error={pe.minCellSize}
              hint="Figures standing on fewer respondents than this are hidden so no one can be singled out."
            />
            <button type="submit" className="primary" disabled={busy}>
              Create programme
            </button>
          </Form>
        </section>
      </div>

      <div className="split">
        <section className="card" aria-labelledby="users-h">
          <h2 id="users-h">People</h2>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id}>
                    <td>
                      <Link to={`/admin/users/${u.id}`}>{u.displayName}</Link>
                    </td>
                    <td>{u.email}</td>
                    <td>
                      {u.isAdmin ? <span className="tag warn">administrator</span> : null}{" "}
                      {u.active ? <span className="tag">active</span> : <span className="tag off">deactivated</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card" aria-labelledby="new-user-h">
          <h2 id="new-user-h">New account</h2>
          <Form key={resetKey} method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="create-user" />
            <Field label="Name" name="displayName" defaultValue={uv.displayName} error={ue.displayName} required />
            <Field label="Email" name="email" type="email" defaultValue={uv.email} error={ue.email} required autoComplete="off" />
            <Field
              label="First password"
              name="password"
              type="password"
              error={ue.password}
              hint={`${PASSWORD_HINT} They can change it under their settings.`}
              autoComplete="new-password"
              required
            />
            <div className="field checkbox">
              <label>
                <input type="checkbox" name="isAdmin" /> Site administrator
              </label>
            </div>
            <button type="submit" className="primary" disabled={busy}>
              Create account
            </button>
          </Form>
        </section>
      </div>
    </>
  );
}
