// The address respondents reach the server by (PUBLIC_URL): QR codes and posters always use it,
// never the address a facilitator happens to be browsing (often http://localhost:3000).
import type { Translate } from "~/i18n/core";
import type { LinksWords } from "~/i18n/staff/links";

export type PublicUrlProblem = "unset" | "localhost" | "invalid";

export interface PublicAddress {
  /** Origin (and path prefix, if any) without a trailing slash. */
  base: string;
  /** Why printed links may not work on respondents' phones; null when PUBLIC_URL looks right. */
  problem: PublicUrlProblem | null;
}

const LOCAL = /^(localhost|127(\.\d+){3}|\[::1\]|0\.0\.0\.0)$/i;

/** PUBLIC_URL when it is a usable http(s) address; otherwise the request's origin, with the reason. */
export function publicAddress(request: Request, value = process.env.PUBLIC_URL): PublicAddress {
  const fallback = new URL(request.url).origin;
  if (!value?.trim()) return { base: fallback, problem: "unset" };
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { base: fallback, problem: "invalid" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { base: fallback, problem: "invalid" };
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  return { base, problem: LOCAL.test(url.hostname) ? "localhost" : null };
}

/** The address to type, without "https://" (browsers add it); plain http keeps its scheme. */
export function typedAddress(base: string, code: string): string {
  const url = `${base}/c/${code}`;
  return url.startsWith("https://") ? url.slice("https://".length) : url;
}

/** What the links page and the poster say when printed addresses may not work (in the page's words); null when they should. */
export function publicUrlWarning(t: Translate<LinksWords>, address: PublicAddress): string | null {
  if (!address.problem) return null;
  return `${t(`publicUrl.${address.problem}`)} ${t("publicUrlWarning", { base: address.base })}`;
}
