import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { data, redirect, type HeadersFunction, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { getSession, readForm, sessionCookie } from "~/auth.server";
import { findUserByEmail, normaliseEmail } from "~/models/users.server";
import { verifyAgainstDecoy, verifyPassword } from "~/models/passwords.server";
import { createSession, SESSION_DAYS } from "~/models/sessions.server";
import { checkThrottle, recordAttempt } from "~/models/login-throttle.server";
import { CsrfField, Field, Notice } from "~/ui/forms";

// The throttled reply carries Retry-After on full page loads too.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has("Retry-After") ? actionHeaders : loaderHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in · Safety perception surveys" }];

/** Only same-site paths are followed after sign-in. */
const safeNext = (next: string | null) =>
  next && next.startsWith("/") && !next.startsWith("//") && ![...next].some((c) => c < " " || c === "\u007f") ? next : "/"; // control characters would break the Location header

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getSession(request, context)) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const email = normaliseEmail(String(form.get("email") ?? ""));
  const password = String(form.get("password") ?? "");
  const next = safeNext(String(form.get("next") ?? "/"));
  if (!email || !password) return data({ error: "Enter your email and password.", email }, { status: 400 });

  const throttle = await checkThrottle(context.db, email, context.clientAddress);
  if (throttle.blocked) {
    const minutes = throttle.retryAfterMinutes;
    return data(
      {
        error: `Too many failed sign-in attempts. For your safety, sign-in is paused: try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        email,
      },
      { status: 429, headers: { "Retry-After": String(minutes * 60) } },
    );
  }

  const user = await findUserByEmail(context.db, email);
  const valid = user ? await verifyPassword(user.password_hash, password) : (await verifyAgainstDecoy(password), false);
  if (!user || !valid || Number(user.active) !== 1) {
    await recordAttempt(context.db, email, context.clientAddress, false);
    const message =
      user && valid ? "This account has been deactivated. Ask your administrator." : "The email or password is not right.";
    return data({ error: message, email }, { status: 401 });
  }
  await recordAttempt(context.db, email, context.clientAddress, true);
  const cookie = await createSession(context.db, user.id);
  return redirect(next, { headers: { "Set-Cookie": sessionCookie(request, cookie, SESSION_DAYS * 86400) } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1>Sign in</h1>
        <p className="lede">For facilitators, programme managers and administrators.</p>
        {result?.error ? <Notice kind="error">{result.error}</Notice> : null}
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="next" value={params.get("next") ?? "/"} />
          <Field label="Email" name="email" type="email" defaultValue={result?.email} autoComplete="username" required />
          <Field label="Password" name="password" type="password" autoComplete="current-password" required />
          <button type="submit" className="primary">
            Sign in
          </button>
        </Form>
        <p className="hint">Forgot your password? Your administrator can set a new one for you.</p>
      </div>
    </div>
  );
}
