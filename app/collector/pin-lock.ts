// How long a kiosk tablet stays locked after wrong facilitator PINs: five tries, then 30 s; after
// that every further wrong PIN locks it again for longer (1 min, 5 min, 15 min, then an hour each).
// Pure, so the rule is tested on its own; store.ts keeps the state in IndexedDB across reloads.
export interface PinLock {
  /** Wrong PINs since the last right one (or since the tablet was armed). */
  failures: number;
  /** Epoch ms until which no PIN is checked; 0 when not locked. */
  lockedUntil: number;
}

export const FREE_TRIES = 5;
export const LOCK_STEPS_MS = [30_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];

export const unlocked = (): PinLock => ({ failures: 0, lockedUntil: 0 });

/** Milliseconds left on the lock at `now` (0: a PIN may be tried). */
export const lockRemaining = (lock: PinLock, now = Date.now()): number => Math.max(0, lock.lockedUntil - now);

/** The state after one wrong PIN at `now`. */
export function afterWrongPin(lock: PinLock, now = Date.now()): PinLock {
  const failures = lock.failures + 1;
  if (failures < FREE_TRIES) return { failures, lockedUntil: 0 };
  const step = Math.min(failures - FREE_TRIES, LOCK_STEPS_MS.length - 1);
  return { failures, lockedUntil: now + LOCK_STEPS_MS[step] };
}

/** Wrong PINs left before the next lock (0 once the tablet has been locked: each wrong try locks again). */
export const triesLeft = (lock: PinLock): number => Math.max(0, FREE_TRIES - lock.failures);
