/** Subscribes to the database's notifications; resolves once listening, to a function that stops. */
export type Listen = (onNotify: () => void, onLost: () => void) => Promise<() => Promise<void>>;

/** Wakes `waitForEvents` callers on a notification or a local append. */
export interface Wakeups {
  wait(timeoutMs: number): Promise<void>;
  wakeAll(): void;
  close(): Promise<void>;
}

/** Listens lazily, on the first wait, and listens again after a lost connection. */
export function createWakeups(listen: Listen): Wakeups {
  const waiters = new Set<() => void>();
  let listening: Promise<() => Promise<void>> | null = null;
  let closed = false;

  function wakeAll(): void {
    for (const wake of [...waiters]) wake();
  }

  function startListening(): Promise<() => Promise<void>> {
    const started = listen(wakeAll, () => {
      if (listening === started) listening = null;
      wakeAll();
    });
    started.catch(() => {
      if (listening === started) listening = null;
    });
    return started;
  }

  return {
    async wait(timeoutMs) {
      if (closed) return;
      // The waiter is counted from the call, not from when the listener is up, so an append made
      // while the listener connects still wakes it. Without a listener it wakes on the timeout.
      const woken = new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        waiters.add(wake);
      });
      listening ??= startListening();
      listening.catch(() => undefined);
      await woken;
    },
    wakeAll,
    async close() {
      closed = true;
      wakeAll();
      const stop = await listening?.catch(() => null);
      listening = null;
      await stop?.();
    },
  };
}
