// The tablet checks the facilitator's PIN offline with the server's own PBKDF2 parameters: a PIN the
// server hashed must be accepted on the device, a wrong one refused, with WebCrypto or without it;
// and wrong PINs lock the tablet for longer and longer.
import { pbkdf2Sync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkPin as serverCheckPin, hashPin, PIN_ITERATIONS } from "../../app/models/collection-links.server";
import { checkPin, pinHash, pinParams } from "../../app/collector/device";
import { afterWrongPin, FREE_TRIES, lockRemaining, triesLeft, unlocked } from "../../app/collector/pin-lock";

describe("the kiosk PIN on the tablet", () => {
  it("is stored with its KDF and 600,000 iterations, and the tablet accepts exactly that PIN (WebCrypto)", async () => {
    expect(PIN_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const stored = hashPin("246813");
    expect(stored).toMatch(/^pbkdf2-sha256:600000:[0-9a-f]{32}:[0-9a-f]{64}$/);
    expect(await checkPin(stored, "246813", true)).toBe(true);
    expect(await checkPin(stored, "246814", true)).toBe(false);
    expect(await checkPin(stored, "", true)).toBe(false);
    expect(await checkPin("garbage", "246813", true)).toBe(false);
    expect(serverCheckPin(stored, "246813")).toBe(true);
    expect(serverCheckPin(stored, "246814")).toBe(false);
  });

  it("computes the same PBKDF2-SHA256 in plain JavaScript for pages without WebCrypto", async () => {
    for (const [pin, salt] of [["246813", "00ff"], ["12345678", "9c1d2e3f4a5b6c7d8e9f00112233aabb"], ["", "x".repeat(80)]]) {
      expect(await pinHash(pin, salt, 1000, false)).toBe(pbkdf2Sync(pin, salt, 1000, 32, "sha256").toString("hex"));
      expect(await pinHash(pin, salt, 1000, true)).toBe(pbkdf2Sync(pin, salt, 1000, 32, "sha256").toString("hex"));
    }
  });

  it("still opens links made before six-digit PINs (salt:hash, 100,000 iterations)", async () => {
    const salt = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    const legacy = `${salt}:${pbkdf2Sync("2468", salt, 100_000, 32, "sha256").toString("hex")}`;
    expect(pinParams(legacy)).toMatchObject({ iterations: 100_000, salt });
    expect(await checkPin(legacy, "2468", true)).toBe(true);
    expect(await checkPin(legacy, "2469", true)).toBe(false);
    expect(serverCheckPin(legacy, "2468")).toBe(true);
  });
});

describe("wrong PINs lock the tablet", () => {
  it("gives five tries, then locks for 30 s, then for longer after each further wrong PIN", () => {
    let lock = unlocked();
    const t0 = 1_000_000;
    for (let i = 1; i < FREE_TRIES; i++) {
      lock = afterWrongPin(lock, t0);
      expect(lockRemaining(lock, t0)).toBe(0);
      expect(triesLeft(lock)).toBe(FREE_TRIES - i);
    }
    lock = afterWrongPin(lock, t0);
    expect(lockRemaining(lock, t0)).toBe(30_000);
    expect(lockRemaining(lock, t0 + 30_000)).toBe(0);
    const waits = [];
    let now = t0 + 30_000;
    for (let i = 0; i < 5; i++) {
      lock = afterWrongPin(lock, now);
      waits.push(lockRemaining(lock, now));
      now += lockRemaining(lock, now);
    }
    expect(waits).toEqual([60_000, 300_000, 900_000, 3_600_000, 3_600_000]);
    expect(triesLeft(lock)).toBe(0);
  });
});
