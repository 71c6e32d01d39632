// What the server hands every loader and action, alongside the request.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Dialect } from "~db/portable";

export type AppContext = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Nonce for the inline scripts Remix renders; part of the Content-Security-Policy. */
  cspNonce: string;
  /** The network address of the client, for sign-in throttling. */
  clientAddress: string;
};

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
