// A staff page's refusal (403, 404, 400) as data: a code from the errors catalog, which the shared
// error page shows in the person's language, and its English text for scripts and logs.
import { data } from "@remix-run/node";
import { errors, type RefusalCode } from "./i18n/staff/errors";

/** `throw refuse("refused.noSurvey", 404)` */
export function refuse(code: RefusalCode, status: number, extra: Record<string, unknown> = {}) {
  return data({ code, message: errors.en[code], ...extra }, { status });
}
