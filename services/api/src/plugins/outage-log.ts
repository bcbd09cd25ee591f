import type { FastifyBaseLogger } from 'fastify';

/**
 * Logs a database outage once, when the first request meets it, and once more when a request is
 * served again, with how long it lasted and how many requests were answered 503 meanwhile. Each
 * refused request still has its own "request completed" line (status 503); what is not repeated is
 * the error and its stack, which would otherwise flood the log for the length of the outage.
 */
export class OutageLog {
  #since: number | null = null;
  #refused = 0;

  refused(log: FastifyBaseLogger, error: unknown): void {
    this.#refused++;
    if (this.#since !== null) return;
    this.#since = Date.now();
    log.error({ err: error }, 'database unavailable: answering 503 with Retry-After until it is back');
  }

  served(log: FastifyBaseLogger): void {
    if (this.#since === null) return;
    log.warn({ outageMs: Date.now() - this.#since, refused: this.#refused }, 'database available again');
    this.#since = null;
    this.#refused = 0;
  }
}
