// Serves the real production build on a free port over real HTTP, against a given database.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { createApp, importRunnerOf, type AppOptions } from "../../app/server/app";
import type { Db } from "../../db/connect";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

let build: Promise<ServerBuild> | undefined;

/** `options`: what `npm start` would set from the environment (e.g. `trustProxy` from TRUST_PROXY). */
export async function startServer(database: Db, options: Pick<AppOptions, "trustProxy"> = {}): Promise<RunningServer> {
  build ??= import(pathToFileURL(path.resolve("build/server/index.js")).href) as Promise<ServerBuild>;
  const app = createApp({ database, build: await build, ...options });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await importRunnerOf(app)?.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
