import type { RedisNodeAddress } from '../../options/redis-module-options.interface';
import type { QuorumCheck } from './topology-views';

/**
 * The primary named by more than half of the sentinels that answered `SENTINEL
 * get-master-addr-by-name` (each answer a `[host, port]` pair; anything else did not answer).
 */
export function majorityPrimary(answers: readonly unknown[]): RedisNodeAddress | undefined {
  const votes = new Map<string, number>();
  let answered = 0;
  for (const answer of answers) {
    if (!Array.isArray(answer) || answer.length < 2) continue;
    answered += 1;
    const key = `${String(answer[0])} ${String(answer[1])}`;
    votes.set(key, (votes.get(key) ?? 0) + 1);
  }
  for (const [key, count] of votes) {
    if (count * 2 > answered) {
      const [host, port] = key.split(' ');
      return { host, port: Number(port) };
    }
  }
  return undefined;
}

/**
 * The group's quorum from every sentinel's `SENTINEL CKQUORUM` answer (see `askNode`): reached when
 * any sentinel says so (`OK …`), else the first refusal (`NOQUORUM …`, `NOPERM …`), else no answer.
 */
export function quorumFrom(answers: readonly unknown[]): QuorumCheck {
  const ok = answers.find((answer) => typeof answer === 'string');
  if (ok !== undefined) return { ok: true, message: String(ok) };
  const refusal = answers.find((answer): answer is Error => answer instanceof Error);
  return { ok: false, message: refusal?.message ?? 'no sentinel answered' };
}
