/** `closed`: calls go to Redis. `open`: calls go to the fallback while probes look for recovery. */
export type CircuitState = 'closed' | 'open';

/**
 * Counts consecutive availability failures and opens after `failureThreshold` of them. It closes
 * only on proof that the primary takes writes (a write, or a write probe, that succeeded), so a
 * primary that answers reads or `PING` but refuses writes (`NOREPLICAS`) keeps it open instead of
 * making it flap. Pure state: the caller runs the probes.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private current: CircuitState = 'closed';

  constructor(
    private readonly failureThreshold: number,
    private readonly onChange: (state: CircuitState) => void = () => undefined,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  get isOpen(): boolean {
    return this.current === 'open';
  }

  /** The primary took a write: closes the circuit. */
  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.transition('closed');
  }

  /** The primary answered a read: the failures so far were not consecutive. Does not close an open circuit. */
  recordAnswer(): void {
    if (this.current === 'closed') this.consecutiveFailures = 0;
  }

  recordFailure(): void {
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.failureThreshold) this.transition('open');
  }

  private transition(next: CircuitState): void {
    if (next === this.current) return;
    this.current = next;
    this.onChange(next);
  }
}
