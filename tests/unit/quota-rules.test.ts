// The rules behind response quotas: windows, waits, what counts as one address, limits from the environment.
import { describe, expect, it } from "vitest";
import { addressScope, limitFrom, retryAfterSeconds, windowsAt } from "../../app/links/quota-rules";

describe("response quota rules", () => {
  it("puts a moment in its minute and its UTC day", () => {
    const now = Date.parse("2026-11-20T23:59:42.123Z");
    expect(windowsAt(now)).toEqual({ minute: "2026-11-20T23:59:00.000Z", day: "2026-11-20T00:00:00.000Z", dayKey: "2026-11-20" });
  });

  it("waits until the minute is over, and at most 15 minutes for the day", () => {
    expect(retryAfterSeconds("minute", Date.parse("2026-11-20T10:15:42.500Z"))).toBe(18);
    expect(retryAfterSeconds("minute", Date.parse("2026-11-20T10:15:59.999Z"))).toBe(1);
    expect(retryAfterSeconds("day", Date.parse("2026-11-20T10:15:00.000Z"))).toBe(900);
    expect(retryAfterSeconds("day", Date.parse("2026-11-20T23:59:30.000Z"))).toBe(30);
  });

  it("counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4", () => {
    expect(addressScope("203.0.113.7")).toBe("203.0.113.7");
    expect(addressScope("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressScope("2001:db8:1:2::5")).toBe("2001:db8:1:2::/64");
    expect(addressScope("2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressScope("[2001:DB8:1:2::9]")).toBe("2001:db8:1:2::/64");
    expect(addressScope("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressScope("2001:db8:1:3::5")).not.toBe(addressScope("2001:db8:1:2::5"));
    expect(addressScope("unknown")).toBe("unknown");
  });

  it("reads limits from the environment: whole numbers ≥ 0, else the default", () => {
    expect(limitFrom(undefined, 1000)).toBe(1000);
    expect(limitFrom("", 1000)).toBe(1000);
    expect(limitFrom("250", 1000)).toBe(250);
    expect(limitFrom("0", 1000)).toBe(0);
    expect(limitFrom("-3", 1000)).toBe(1000);
    expect(limitFrom("lots", 1000)).toBe(1000);
  });
});
