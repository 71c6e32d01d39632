// What the server hands every loader and action, alongside the request.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Dialect } from "~db/portable";

export type AppContext = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Nonce for the inline scripts Remix renders; part of the Content-Security-Policy. */
  cspNonce: string;
  /** The network address of the client (through trusted proxies only), for sign-in throttling and rate limits. */
  clientAddress: string;
  /**
   * Errors Remix caught while answering this request (entry.server's handleError adds them), so the
   * server can answer a failed database or disk with 503 instead of a 500.
   */
  errors: unknown[];
};

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
