/** Notification of committed appends, sent once at a time. */
export interface CoalescedNotify {
  /** Asks for a notification: sent at once when none was sent lately, else shared with other callers. */
  notify(): void;
  /** Resolves when no notification is in flight. */
  settled(): Promise<void>;
}

/**
 * NOTIFY takes a lock at commit that serialises every committing transaction that notified, so
 * appends never notify themselves: this sends one notification at a time from outside them, at
 * most one per `minIntervalMs`; appends that commit in between share the next one.
 */
export function coalescedNotify(send: () => Promise<void>, minIntervalMs = 10): CoalescedNotify {
  let inFlight: Promise<void> | null = null;
  let again = false;

  async function run(): Promise<void> {
    do {
      again = false;
      try {
        await send();
      } catch {
        // Subscribers also poll, so a lost notification only delays them.
      }
      await new Promise((resolve) => setTimeout(resolve, minIntervalMs));
    } while (again);
    inFlight = null;
  }

  return {
    notify() {
      if (inFlight !== null) {
        again = true;
        return;
      }
      inFlight = run();
    },
    async settled() {
      await inFlight;
    },
  };
}
