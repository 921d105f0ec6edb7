import { RedisScript } from '@sentinel-kit/redis/internal';

/**
 * Lua scripts that keep a session and its user's index consistent. The index is a sorted set of
 * session ids scored by expiry. It expires with the latest expiry its sessions had (a session's
 * expiry only grows), and is deleted when a sign-out leaves it empty; expired ids are trimmed from
 * it when a new session would take it past the per-user cap, and before a sign-out everywhere.
 * Readers ask it for the ids that expire after now.
 *
 * They run by SHA1 (`EVALSHA`), with their text only where a node does not have them yet. Every
 * script is idempotent, with the same answer when it runs again: a write whose answer was
 * lost (a timeout, a failover) is sent again, and must then neither apply twice nor report a
 * different outcome ("changed", "0 destroyed") than the run that applied it.
 *
 * Each `redis.call` costs the server as much as a small command, so the common paths make as few as
 * they can (a create: `SET NX`, `ZADD`, `PTTL`, `PEXPIREAT`, `ZCARD`).
 */

/** Makes KEYS[index] expire at `expiresAt` (epoch ms) unless it already lives longer. */
const INDEX_EXPIRY = `
local function expireNoEarlierThan(indexKey, expiresAt, now)
  if redis.call('PTTL', indexKey) < tonumber(expiresAt) - tonumber(now) then
    redis.call('PEXPIREAT', indexKey, expiresAt)
  end
end
`;

/**
 * Save a session. KEYS: session, index. ARGV: expected text ('' = must not exist), new text, id,
 * expiresAt, now, most sessions per user, full session key prefix (with the Redis key prefix and the
 * user's slot tag: evicted sessions' keys are built here). Returns 1 saved (or already saved with this very text: a
 * run sent again), 0 already exists (create), -1 changed or gone since read.
 *
 * A new session past the per-user cap evicts the user's sessions that expire first (with sliding
 * expiry, the least recently used), never the new one.
 */
export const SAVE_SESSION = new RedisScript(`${INDEX_EXPIRY}
if ARGV[1] == '' then
  if not redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[4], 'NX') then
    if redis.call('GET', KEYS[1]) == ARGV[2] then return 1 end
    return 0
  end
else
  local current = redis.call('GET', KEYS[1])
  if current == ARGV[2] then return 1 end
  if current ~= ARGV[1] then return -1 end
  redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[4])
end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
expireNoEarlierThan(KEYS[2], ARGV[4], ARGV[5])
if ARGV[1] == '' and redis.call('ZCARD', KEYS[2]) > tonumber(ARGV[6]) then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[5])
  local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
  if excess > 0 then
    for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, excess)) do
      if excess > 0 and id ~= ARGV[3] then
        redis.call('DEL', ARGV[7] .. id)
        redis.call('ZREM', KEYS[2], id)
        excess = excess - 1
      end
    end
  end
end
return 1
`);

/**
 * Move a session to a new id. KEYS: old session, new session, index. ARGV: expected old text,
 * new text, old id, new id, expiresAt, now. Returns 1 moved (or already moved by a run sent again),
 * 0 new id taken, -1 old changed or gone.
 */
export const ROTATE_SESSION = new RedisScript(`${INDEX_EXPIRY}
local old = redis.call('GET', KEYS[1])
if old ~= ARGV[1] then
  if not old and redis.call('GET', KEYS[2]) == ARGV[2] then return 1 end
  return -1
end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PXAT', ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
expireNoEarlierThan(KEYS[3], ARGV[5], ARGV[6])
return 1
`);

/** Delete a session. KEYS: session, index. ARGV: id. Returns 1 when it existed (0 when run again). */
export const REMOVE_SESSION = new RedisScript(`
local existed = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[2]) end
return existed
`);

/**
 * Delete every session of a user created up to a moment (sign out everywhere), one bounded batch
 * per run, so that no run blocks Redis for long however many sessions the user has. The first run
 * copies the user's live ids to a to-do set; each run then takes up to a batch of them.
 *
 * KEYS: index, progress (a hash unique to this sign-out: the count so far, and whether it is done),
 * to-do (a sorted set unique to this sign-out), all in the user's slot. ARGV: full session key prefix
 * (with the Redis key prefix and the user's slot tag, since these keys are built here), now,
 * created-up-to (epoch ms), TTL ms of the progress keys, batch size. Returns -1 while ids remain (run it again), then how many live sessions were
 * deleted in all (also when run again after that).
 */
export const REMOVE_USER_SESSIONS = new RedisScript(`
local removed = redis.call('HGET', KEYS[2], 'removed')
if not removed then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
  redis.call('ZRANGESTORE', KEYS[3], KEYS[1], 0, -1)
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
  redis.call('HSET', KEYS[2], 'removed', 0)
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  removed = 0
elseif redis.call('HEXISTS', KEYS[2], 'done') == 1 then
  return tonumber(removed)
end
removed = tonumber(removed)
local cutoff = tonumber(ARGV[3])
local batch = redis.call('ZPOPMIN', KEYS[3], ARGV[5])
for i = 1, #batch, 2 do
  local id = batch[i]
  local key = ARGV[1] .. id
  local text = redis.call('GET', key)
  local ok, record = pcall(cjson.decode, text or 'null')
  local createdAt = ok and type(record) == 'table' and tonumber(record.createdAt) or nil
  if not text or not createdAt or createdAt <= cutoff then
    if text then removed = removed + redis.call('DEL', key) end
    redis.call('ZREM', KEYS[1], id)
  end
end
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[2], 'removed', removed)
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
redis.call('HSET', KEYS[2], 'done', 1)
return removed
`);
