import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie, readForm, readSessionCookie } from "~/auth.server";
import { deleteSession } from "~/models/sessions.server";

export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request, context);
  const value = readSessionCookie(request);
  if (value) await deleteSession(context.db, value);
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(request) } });
}

export const loader = () => redirect("/");
