// TRUST_PROXY in Express's own `trust proxy` forms: a number of hops, or the proxies' addresses
// and subnets ("loopback", "10.0.0.0/8, 192.168.1.5"). "true" (believe every X-Forwarded-For) is
// refused: with it, anyone can choose the address the sign-in throttle and rate limits count.
import express from "express";

export type TrustProxy = false | number | string;

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? "").trim();
  if (text === "" || text === "0" || text.toLowerCase() === "false") return false;
  if (/^\d+$/.test(text)) return Number(text);
  if (text.toLowerCase() === "true")
    throw new Error(
      "TRUST_PROXY=true would believe any X-Forwarded-For header. Give the number of proxies in front of the app (usually 1) or their addresses, e.g. TRUST_PROXY=loopback.",
    );
  const list = text.split(",").map((s) => s.trim()).filter(Boolean);
  try {
    express().set("trust proxy", list.join(",")); // Express compiles (and checks) the list here
  } catch (err) {
    throw new Error(`TRUST_PROXY: ${err instanceof Error ? err.message : String(err)} (give a hop count, or addresses and subnets separated by commas)`);
  }
  return list.join(",");
}
