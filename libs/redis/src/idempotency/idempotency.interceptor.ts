import { createHash } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  RequestMethod,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { catchError, finalize, from, mergeMap, of, throwError, type Observable } from 'rxjs';
import { logEvent } from '../common/log-event';
import { IDEMPOTENCY_RESOLVED_OPTIONS, type ResolvedIdempotencyOptions } from './idempotency-options';
import { IdempotencyStore, type StoredAnswer } from './idempotency.store';
import { IDEMPOTENT_ROUTE, type IdempotentOptions } from './idempotent-route';

/** An `Idempotency-Key`: 1 to 255 visible ASCII characters (the draft's sf-string, without its quotes). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What the interceptor reads of a request (Express' or Node's). */
type IdempotentRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/** `@Idempotent`'s work; see there. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    @Inject(IDEMPOTENCY_RESOLVED_OPTIONS) private readonly options: ResolvedIdempotencyOptions,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const route = this.reflector.getAllAndOverride<IdempotentOptions>(IDEMPOTENT_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const http = context.switchToHttp();
    const request = http.getRequest<IdempotentRequest>();
    const response = http.getResponse<ServerResponse>();
    const key = request.headers['idempotency-key'];
    if (key === undefined) {
      if (route.required === false) return next.handle();
      throw new BadRequestException('this request needs an Idempotency-Key header');
    }
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    const ttlMs = route.ttlMs ?? this.options.ttlMs;
    const recordKey = this.store.recordKey(this.options.scope(request), key);
    const fingerprint = fingerprintOf(request);
    const claim = await this.store.claim(recordKey, fingerprint);
    switch (claim.kind) {
      case 'mismatch':
        throw new UnprocessableEntityException('this Idempotency-Key was used for another request');
      case 'running':
        response.setHeader('Retry-After', '1');
        throw new ConflictException('a request with this Idempotency-Key is still running');
      case 'done':
        return of(replay(response, claim.answer));
    }
    const { owner } = claim;
    const renewal = setInterval(() => void this.renew(recordKey, owner), Math.floor(this.options.leaseMs / 3));
    renewal.unref();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await this.keep(recordKey, owner, fingerprint, ttlMs, {
          status: this.statusOf(context, request),
          headers: this.replayedHeaders(response),
          body: body ?? null,
        });
        return body;
      }),
      catchError((error: unknown) =>
        from(this.giveBack(recordKey, owner)).pipe(mergeMap(() => throwError(() => error))),
      ),
      finalize(() => clearInterval(renewal)),
    );
  }

  /** Keeps the claim while its request runs; a failure is logged (the lease then runs out). */
  private async renew(recordKey: string, owner: string): Promise<void> {
    const renewed = await this.store.renew(recordKey, owner).catch((error: unknown) => {
      this.logger.warn(
        logEvent('idempotency.renewal-failed', { reason: (error as Error).message }, 'a running claim was not renewed'),
      );
      return true;
    });
    if (!renewed) this.logger.warn(logEvent('idempotency.claim-lost', {}, 'a running request lost its claim'));
  }

  /** Stores the answer; if it cannot, the answer still goes out (the request ran) and the claim stays. */
  private async keep(recordKey: string, owner: string, fingerprint: string, ttlMs: number, answer: StoredAnswer) {
    let outcome: Awaited<ReturnType<IdempotencyStore['complete']>>;
    try {
      outcome = await this.store.complete(recordKey, owner, fingerprint, answer, ttlMs);
    } catch (error) {
      // The claim stays: a retry gets 409 until its lease runs out, rather than running again.
      this.logger.warn(
        logEvent(
          'idempotency.answer-not-stored',
          { reason: (error as Error).message },
          'an answer could not be stored',
        ),
      );
      return;
    }
    if (outcome === 'too-large') {
      this.logger.warn(
        logEvent(
          'idempotency.answer-too-large',
          { maxBytes: this.options.maxAnswerBytes },
          'an answer too large to store: the key is given back',
        ),
      );
      await this.giveBack(recordKey, owner);
    } else if (outcome === 'gone') {
      this.logger.warn(
        logEvent('idempotency.claim-expired', {}, 'a request outlived its key: its answer is not stored'),
      );
    }
  }

  private async giveBack(recordKey: string, owner: string): Promise<void> {
    await this.store
      .release(recordKey, owner)
      .catch((error: unknown) =>
        this.logger.warn(
          logEvent('idempotency.release-failed', { reason: (error as Error).message }, 'a failed request kept its key'),
        ),
      );
  }

  /** The status Nest will send: the route's `@HttpCode`, else 201 for POST and 200 otherwise. */
  private statusOf(context: ExecutionContext, request: IdempotentRequest): number {
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    return declared ?? (request.method === RequestMethod[RequestMethod.POST] ? HttpStatus.CREATED : HttpStatus.OK);
  }

  private replayedHeaders(response: ServerResponse): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const name of this.options.replayedHeaders) {
      const value = response.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    return headers;
  }
}

/** SHA-256 of the method, the path with its query, and the parsed body. */
function fingerprintOf(request: IdempotentRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.originalUrl ?? request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('base64url');
}

/** Sets the stored status and headers, marks the answer replayed, and gives the stored body. */
function replay(response: ServerResponse, answer: StoredAnswer): unknown {
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.setHeader('Idempotency-Replayed', 'true');
  return answer.body;
}
