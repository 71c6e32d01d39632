// First run: with no account yet, the person who can read the server's console creates the first
// administrator here with the one-time setup code printed there (or runs `npm run create-admin`).
import { Form, useActionData } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, sessionCookie } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { countUsers } from "~/models/users.server";
import { createSession, SESSION_COOKIE_MAX_AGE_SECONDS } from "~/models/sessions.server";
import { checkNewPassword } from "~/models/passwords.server";
import { createFirstAdministrator } from "~/models/setup-code.server";
import { PASSWORD_HINT } from "~/models/password-rules";
import { CsrfField, Field, Notice } from "~/ui/forms";

export const meta: MetaFunction = () => [{ title: "Set up · Safety perception surveys" }];

const SetupSchema = z
  .object({
    setupCode: z.string().trim().min(1, "Enter the setup code from the server's console."),
    displayName: z.string().trim().min(1, "Enter your name.").max(120),
    email: z.string().trim().email("Enter a valid email address."),
    password: z.string(),
  })
  .superRefine(checkNewPassword("password", (v) => [v.email, v.displayName]));

export async function loader({ context }: LoaderFunctionArgs) {
  if ((await countUsers(context.db)) > 0) throw redirect("/login");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  if ((await countUsers(context.db)) > 0) throw redirect("/login");
  const parsed = parseForm(SetupSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { setupCode, ...account } = parsed.data;
  const outcome = await createFirstAdministrator(context.db, setupCode, account);
  if (!outcome.ok) {
    if (outcome.reason === "done") throw redirect("/login");
    const errors = {
      setupCode:
        "The setup code is not right. Use the code the server printed in its console at its latest start (restarting it prints a new one).",
    };
    return data({ errors, values: parsed.values }, { status: 403 });
  }
  const cookie = await createSession(context.db, outcome.user.id);
  return redirect("/admin", { headers: { "Set-Cookie": sessionCookie(request, cookie, SESSION_COOKIE_MAX_AGE_SECONDS) } });
}

export default function Setup() {
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values: Record<string, string> = result?.values ?? {};
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Welcome</h1>
        <p className="lede">
          This is a new installation. Create the first administrator account: it can add programmes, communities and
          the people who work on them.
        </p>
        <Notice kind="info">
          You need the <strong>setup code</strong> the server printed in its console when it started (the window or log
          where <code>npm start</code> runs). On the server itself you can instead run <code>npm run create-admin</code>.
        </Notice>
        <Form method="post" noValidate>
          <CsrfField />
          <Field
            label="Setup code"
            name="setupCode"
            defaultValue={values.setupCode}
            error={errors.setupCode}
            hint="For example ABCD-EFGH-JKMN."
            autoComplete="off"
            required
          />
          <Field label="Your name" name="displayName" defaultValue={values.displayName} error={errors.displayName} autoComplete="name" required />
          <Field label="Email" name="email" type="email" defaultValue={values.email} error={errors.email} autoComplete="email" required />
          <Field
            label="Password"
            name="password"
            type="password"
            error={errors.password}
            hint={PASSWORD_HINT}
            autoComplete="new-password"
            required
          />
          <button type="submit" className="primary">
            Create administrator
          </button>
        </Form>
      </div>
    </div>
  );
}
