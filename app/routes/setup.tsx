// First run: with no users yet, anyone who can reach the app creates the first administrator, once.
import { Form, useActionData } from "@remix-run/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, sessionCookie } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { countUsers, createUser } from "~/models/users.server";
import { createSession, SESSION_DAYS } from "~/models/sessions.server";
import { MIN_PASSWORD_LENGTH } from "~/models/password-rules";
import { CsrfField, Field } from "~/ui/forms";

export const meta: MetaFunction = () => [{ title: "Set up · Safety perception surveys" }];

const SetupSchema = z.object({
  displayName: z.string().trim().min(1, "Enter your name."),
  email: z.string().trim().email("Enter a valid email address."),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(200),
});

export async function loader({ context }: LoaderFunctionArgs) {
  if ((await countUsers(context.db)) > 0) throw redirect("/login");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  if ((await countUsers(context.db)) > 0) throw redirect("/login");
  const parsed = parseForm(SetupSchema, form);
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  const user = await createUser(context.db, { ...parsed.data, isAdmin: true });
  const cookie = await createSession(context.db, user.id);
  return redirect("/admin", { headers: { "Set-Cookie": sessionCookie(request, cookie, SESSION_DAYS * 86400) } });
}

export default function Setup() {
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? {};
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Welcome</h1>
        <p className="lede">
          This is a new installation. Create the first administrator account: it can add programmes, communities and
          the people who work on them.
        </p>
        <Form method="post" noValidate>
          <CsrfField />
          <Field label="Your name" name="displayName" defaultValue={values.displayName} error={errors.displayName} autoComplete="name" required />
          <Field label="Email" name="email" type="email" defaultValue={values.email} error={errors.email} autoComplete="email" required />
          <Field
            label="Password"
            name="password"
            type="password"
            error={errors.password}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. A short sentence is easy to remember and hard to guess.`}
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
