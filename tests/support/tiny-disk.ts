// A filesystem that can be filled: a small tmpfs mounted for the test (needs root), so SQLite meets
// a real ENOSPC. Where mounting is not allowed, the database's page limit (PRAGMA max_page_count)
// gives the same SQLITE_FULL from inside SQLite instead.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type SQLite from "better-sqlite3";
import { TMP_DIR } from "./databases";

export interface TinyDisk {
  dir: string;
  /** How the disk is filled: "tmpfs" (a real full filesystem) or "page-limit". */
  kind: "tmpfs" | "page-limit";
  fill(handle: SQLite.Database): void;
  free(handle: SQLite.Database): void;
  remove(): void;
}

export function tinyDisk(megabytes = 32): TinyDisk {
  const dir = path.join(TMP_DIR, `tiny-disk-${randomBytes(4).toString("hex")}`);
  fs.mkdirSync(dir, { recursive: true });
  let mounted = false;
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir], { stdio: "ignore" });
    mounted = true;
  } catch {
    mounted = false;
  }
  const filler = path.join(dir, "filler");
  return {
    dir,
    kind: mounted ? "tmpfs" : "page-limit",
    fill(handle) {
      // An empty write-ahead log, so the next write has to grow a file.
      handle.pragma("wal_checkpoint(TRUNCATE)");
      if (!mounted) {
        const pages = Number(handle.pragma("page_count", { simple: true }));
        handle.pragma(`max_page_count = ${pages}`);
        return;
      }
      const fd = fs.openSync(filler, "w");
      try {
        for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 9]) {
          const block = Buffer.alloc(size, 1);
          for (;;) {
            try {
              fs.writeSync(fd, block);
            } catch {
              break; // ENOSPC: try a smaller block, until not even 512 bytes fit
            }
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free(handle) {
      if (!mounted) handle.pragma("max_page_count = 4294967294");
      else fs.rmSync(filler, { force: true });
    },
    remove() {
      if (mounted) execFileSync("umount", ["-l", dir], { stdio: "ignore" });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
