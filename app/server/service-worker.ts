// Serves the offline worker (public/sw.js) with the build it belongs to written into its first line.
// A browser installs a new worker only when the script's bytes change: with the build's version in
// them, every new build of the app is a new worker, which waits until the tablet is between
// respondents and the facilitator (or respondent) accepts the update (collector/app-update.ts).
import fs from "node:fs/promises";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";

export function serviceWorkerScript(file: string, buildVersion: string) {
  let body: Promise<string> | undefined;
  return async (_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      body ??= fs.readFile(file, "utf8").then((source) => `// build ${buildVersion}\n${source}`);
      res.setHeader("Content-Type", "text/javascript; charset=utf-8");
      // Checked afresh on every update check (browsers cap a worker's HTTP caching at a day anyway).
      res.setHeader("Cache-Control", "no-cache");
      res.send(await body);
    } catch (error) {
      body = undefined;
      next(error);
    }
  };
}
