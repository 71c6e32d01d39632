// A small in-memory sliding-window rate limiter for public endpoints (collection links).
// The request limiter stays as the cheap first line in front of the shared response quota
// (models/quotas.server.ts): it refuses request floods without touching the database.
export class RateLimiter {
  private hits = new Map<string, number[]>();
  constructor(
    private limit: number,
    private windowMs: number,
  ) {}

  /** Records a hit; returns 0 when allowed, or the seconds to wait. */
  hit(key: string, now = Date.now()): number {
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return Math.max(1, Math.ceil((list[0] + this.windowMs - now) / 1000));
    }
    list.push(now);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.sweep(since);
    return 0;
  }

  private sweep(since: number) {
    for (const [k, list] of this.hits) if (list.every((t) => t <= since)) this.hits.delete(k);
  }
}
