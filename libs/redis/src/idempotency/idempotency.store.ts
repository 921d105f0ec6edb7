import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfirmedScripts } from '../client/confirmed-scripts';
import { RedisConnections } from '../client/redis-connections';
import type { RedisClient } from '../client/redis-client';
import { RedisScript } from '../client/redis-script';
import { RedisIdempotencyNotReplicatedError } from '../errors/redis-idempotency-not-replicated.error';
import { RedisOutcomeUnknownError } from '../errors/redis-outcome-unknown.error';
import { RedisExecutor } from '../executor/redis-executor';
import { RedisKeyspace, type KeyNamespace } from '../keyspace/redis-keyspace';
import { IDEMPOTENCY_RESOLVED_OPTIONS, type ResolvedIdempotencyOptions } from './idempotency-options';
import { CLAIM_LUA, COMPLETE_LUA, RELEASE_LUA, RENEW_LUA } from './idempotency-scripts';

/** The answer stored for a key, replayed to every repeat. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What a claim found: the key is ours now (`owner`), or in use by a running or finished request. */
export type ClaimResult =
  | { kind: 'claimed'; owner: string }
  | { kind: 'running' }
  | { kind: 'mismatch' }
  | { kind: 'done'; answer: StoredAnswer };

const claimScript = new RedisScript(CLAIM_LUA);
const completeScript = new RedisScript(COMPLETE_LUA);
const releaseScript = new RedisScript(RELEASE_LUA);
const renewScript = new RedisScript(RENEW_LUA);

/**
 * The idempotency records in Redis, on the primary and never in memory (a key is shared state). A
 * claim and a stored answer are confirmed by `replicas` replicas (`WAIT`) where the deployment
 * fails over, so that a failover cannot forget a running or finished request and let a retry run it
 * again; they travel on a connection of their own, group-committed.
 */
@Injectable()
export class IdempotencyStore {
  private readonly scripts: ConfirmedScripts;
  private readonly records: KeyNamespace;
  private readonly ownerPrefix = randomBytes(12).toString('base64url');
  private owners = 0;

  constructor(
    @Inject(IDEMPOTENCY_RESOLVED_OPTIONS) private readonly options: ResolvedIdempotencyOptions,
    private readonly executor: RedisExecutor,
    connections: RedisConnections,
    keyspace: RedisKeyspace,
  ) {
    this.scripts = new ConfirmedScripts(connections, 'idempotency', options.replicas, options.replicationTimeoutMs);
    this.records = keyspace.namespace('idempotency:');
  }

  /** The Redis key of an idempotency key within its scope (hashed: any length and characters). */
  recordKey(scope: string, key: string): string {
    return this.records.key(createHash('sha256').update(`${scope}\n${key}`).digest('base64url'));
  }

  /**
   * Claims `recordKey` for a request of `fingerprint`, or says who has it.
   * @throws RedisIdempotencyNotReplicatedError (the claim is released), and the executor's typed errors.
   */
  async claim(recordKey: string, fingerprint: string): Promise<ClaimResult> {
    const owner = `${this.ownerPrefix}${(this.owners += 1).toString(36)}`;
    const running = JSON.stringify({ s: 'running', f: fingerprint, o: owner });
    const answer = await this.executor
      .write({
        name: 'idempotency.claim',
        primary: this.scripts.client,
        // The same owner asking again after a lost answer finds its own claim.
        idempotent: true,
        redis: (client) =>
          this.run(
            client,
            claimScript,
            [recordKey],
            [running, fingerprint, this.options.leaseMs, owner],
            isClaimed,
          ) as Promise<string[]>,
      })
      .catch((error: unknown) => {
        // The request will not run; a claim that may have been applied (an answer lost on a
        // connection that stays up) is given back: sent on the same connection, the release runs
        // after it, so the key is not left blocked for a lease (unless a reconnect reordered them).
        if (error instanceof RedisOutcomeUnknownError) void this.release(recordKey, owner).catch(() => undefined);
        throw error;
      });
    const [kind, record] = answer.value;
    if (kind === 'claimed') return { kind, owner };
    if (kind === 'done') {
      const { status, headers, body } = JSON.parse(record) as StoredAnswer;
      return { kind, answer: { status, headers, body } };
    }
    return { kind: kind === 'running' ? 'running' : 'mismatch' };
  }

  /**
   * Stores the answer of the request that holds the claim.
   * @returns `gone` when the claim was (it expired), `too-large` past `maxAnswerBytes` (nothing is
   *   sent); throws the executor's typed errors, and RedisOutcomeUnknownError when no replica is
   *   known to have it.
   */
  async complete(
    recordKey: string,
    owner: string,
    fingerprint: string,
    answer: StoredAnswer,
    ttlMs: number,
  ): Promise<'stored' | 'gone' | 'too-large'> {
    const done = JSON.stringify({ s: 'done', f: fingerprint, ...answer });
    if (Buffer.byteLength(done) > this.options.maxAnswerBytes) return 'too-large';
    const stored = await this.executor.write({
      name: 'idempotency.complete',
      primary: this.scripts.client,
      idempotent: true,
      redis: (client) => this.run(client, completeScript, [recordKey], [done, ttlMs, owner], (r) => Number(r) > 0),
    });
    return Number(stored.value) > 0 ? 'stored' : 'gone';
  }

  /** Extends the running claim's lease. @returns false when it is no longer this owner's. */
  async renew(recordKey: string, owner: string): Promise<boolean> {
    const renewed = await this.executor.write({
      name: 'idempotency.renew',
      primary: this.scripts.client,
      idempotent: true,
      redis: (client) =>
        this.run(client, renewScript, [recordKey], [owner, this.options.leaseMs], (r) => Number(r) > 0),
    });
    return Number(renewed.value) > 0;
  }

  /** Gives the claim back (the request failed), so that a retry may run it. */
  async release(recordKey: string, owner: string): Promise<void> {
    await this.executor.write({
      name: 'idempotency.release',
      primary: this.scripts.client,
      idempotent: true,
      redis: (client) => releaseScript.run(client, [recordKey], [owner]),
    });
  }

  /** Runs `script`; what it wrote must be confirmed by the replicas. */
  private async run(
    client: RedisClient,
    script: RedisScript,
    keys: string[],
    args: (string | number)[],
    wrote: (reply: unknown) => boolean,
  ): Promise<unknown> {
    const { reply, unconfirmed } = await this.scripts.run(client, script, keys, args, wrote);
    if (unconfirmed === null) return reply;
    if (isClaimed(reply)) {
      // A claim no replica has: give it back, and do not run the request.
      await releaseScript.run(client, keys, [String(args[3])]).catch(() => undefined);
      throw new RedisIdempotencyNotReplicatedError(unconfirmed, this.options.replicas);
    }
    throw new RedisOutcomeUnknownError(
      'an idempotency answer was stored on the primary, but no replica confirmed it in time',
    );
  }
}

function isClaimed(reply: unknown): boolean {
  return Array.isArray(reply) && reply[0] === 'claimed';
}
