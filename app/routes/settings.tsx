// The signed-in person's own settings: name, password, personal API tokens.
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireSession } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";
import { findUserByEmail, setPassword, updateDisplayName } from "~/models/users.server";
import { verifyPassword } from "~/models/passwords.server";
import { MIN_PASSWORD_LENGTH } from "~/models/password-rules";
import { recordAudit } from "~/models/audit.server";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";

export const meta: MetaFunction = () => [{ title: "Your settings · Safety perception surveys" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer } = await requireSession(request, context);
  return { viewer, tokens: await listApiTokens(context.db, viewer.id) };
}

const NameSchema = z.object({ displayName: z.string().trim().min(1, "Enter your name.").max(120) });
const PasswordSchema = z.object({
  current: z.string().min(1, "Enter your current password."),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(200),
});
const TokenSchema = z.object({ name: z.string().trim().min(1, "Name the token after where it will be used.").max(80) });

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, sessionId } = await requireSession(request, context);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "rename") {
    const parsed = parseForm(NameSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
    await updateDisplayName(context.db, viewer.id, parsed.data.displayName);
    return { intent, ok: "Name saved." };
  }
  if (intent === "password") {
    const parsed = parseForm(PasswordSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
    const user = await findUserByEmail(context.db, viewer.email);
    if (!user || !(await verifyPassword(user.password_hash, parsed.data.current)))
      return data({ intent, errors: { current: "This is not your current password." } }, { status: 400 });
    await setPassword(context.db, viewer.id, parsed.data.password, sessionId);
    return { intent, ok: "Password changed. You were signed out on your other devices." };
  }
  if (intent === "create-token") {
    const parsed = parseForm(TokenSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors }, { status: 400 });
    const { token } = await createApiToken(context.db, viewer.id, parsed.data.name);
    await recordAudit(context.db, viewer, { action: "token.create", target: `token "${parsed.data.name}"` });
    return { intent, ok: "Token created.", token };
  }
  if (intent === "revoke-token") {
    await revokeApiToken(context.db, viewer.id, String(form.get("tokenId")));
    await recordAudit(context.db, viewer, { action: "token.revoke", target: `token ${String(form.get("tokenId"))}` });
    return { intent, ok: "Token revoked: it stops working at once." };
  }
  throw data({ message: `Unknown action "${String(intent)}".` }, { status: 400 });
}

export default function Settings() {
  const { viewer, tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const { errors } = formFeedback(result);
  return (
    <>
      <h1>Your settings</h1>
      <p className="lede">{viewer.email}</p>
      {result && "ok" in result && !("token" in result) ? <Notice kind="success">{result.ok}</Notice> : null}
      {result && "token" in result ? (
        <Notice kind="success">
          <strong>Copy this token now: it will not be shown again.</strong>
          <code className="secret" data-testid="new-token">
            {result.token}
          </code>
        </Notice>
      ) : null}
      <div className="split">
        <section className="card" aria-labelledby="tokens-h">
          <h2 id="tokens-h">API tokens</h2>
          <p className="muted">
            For M&amp;E systems and scripts: send <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1/…</code>.
            A token can do what you can do.
          </p>
          {tokens.length === 0 ? (
            <p className="empty">No tokens yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Starts with</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span className="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tokens.map((t) => (
                    <tr key={t.id}>
                      <td>{t.name}</td>
                      <td>
                        <code>{t.prefix}…</code>
                      </td>
                      <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString("en-GB") : "never"}</td>
                      <td>
                        {t.revokedAt ? (
                          <span className="tag off">revoked</span>
                        ) : (
                          <Form key={resetKey} method="post" className="inline">
                            <CsrfField />
                            <input type="hidden" name="intent" value="revoke-token" />
                            <input type="hidden" name="tokenId" value={t.id} />
                            <button type="submit" className="danger small" aria-label={`Revoke ${t.name}`}>
                              Revoke
                            </button>
                          </Form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Form key={resetKey} method="post" className="add-form">
            <CsrfField />
            <input type="hidden" name="intent" value="create-token" />
            <Field label="New token name" name="name" error={errors.name} hint="For example: “Donor M&E dashboard”." />
            <button type="submit" className="primary">
              Create token
            </button>
          </Form>
        </section>
        <aside>
          <section className="card" aria-labelledby="name-h">
            <h2 id="name-h">Name</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="rename" />
              <Field label="Display name" name="displayName" defaultValue={viewer.displayName} error={errors.displayName} />
              <button type="submit" className="secondary">
                Save name
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="password-h">
            <h2 id="password-h">Password</h2>
            <Form key={resetKey} method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="password" />
              <Field label="Current password" name="current" type="password" error={errors.current} autoComplete="current-password" />
              <Field label="New password" name="password" type="password" error={errors.password} autoComplete="new-password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} />
              <button type="submit" className="secondary">
                Change password
              </button>
            </Form>
          </section>
        </aside>
      </div>
    </>
  );
}
