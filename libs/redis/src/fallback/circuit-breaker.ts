/** `closed`: calls go to Redis. `open`: calls go to the fallback while probes look for recovery. */
export type CircuitState = 'closed' | 'open';

/**
 * Counts consecutive availability failures and opens after `failureThreshold` of them; closes on
 * the first success (a probe or a call). Pure state: the caller runs the probes.
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

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.transition('closed');
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
