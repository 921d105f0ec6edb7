import { CircuitBreaker, type CircuitState } from './circuit-breaker';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and reports each change once', () => {
    const changes: CircuitState[] = [];
    const breaker = new CircuitBreaker(3, (state) => changes.push(state));
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.isOpen).toBe(false);
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    breaker.recordSuccess();
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual(['open', 'closed']);
  });

  it('needs consecutive failures: a success in between resets the count', () => {
    const breaker = new CircuitBreaker(2);
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.isOpen).toBe(false);
  });

  it('stays open while reads are answered: only a write (or write probe) closes it', () => {
    const changes: CircuitState[] = [];
    const breaker = new CircuitBreaker(2, (state) => changes.push(state));
    breaker.recordFailure();
    breaker.recordAnswer();
    breaker.recordFailure();
    expect(breaker.isOpen).toBe(false);
    breaker.recordFailure();
    expect(breaker.isOpen).toBe(true);
    breaker.recordAnswer();
    breaker.recordAnswer();
    expect(breaker.isOpen).toBe(true);
    breaker.recordSuccess();
    expect(changes).toEqual(['open', 'closed']);
  });
});
