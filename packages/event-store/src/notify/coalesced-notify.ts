/** Notification of committed appends, sent once at a time. */
export interface CoalescedNotify {
  /** Asks for a notification; appends that commit while one is in flight share the next. */
  notify(): void;
  /** Resolves when no notification is in flight. */
  settled(): Promise<void>;
}

/**
 * NOTIFY takes a lock at commit that serialises every committing transaction that notified, so
 * appends never notify themselves: this sends one notification at a time from outside them.
 */
export function coalescedNotify(send: () => Promise<void>): CoalescedNotify {
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
