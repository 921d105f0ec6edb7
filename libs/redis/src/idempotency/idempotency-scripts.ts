/**
 * The idempotency record's Lua scripts. The record (a JSON string) is `{ s: 'running', f, o }` while
 * the first request runs, then `{ s: 'done', f, status, headers, body }`; `f` is the request's
 * fingerprint, `o` the claim's owner. It expires with the key's time to live.
 */

/**
 * Claim: KEYS[1] record; ARGV[1] running record, ARGV[2] fingerprint, ARGV[3] lease in ms (a running
 * record expires then unless renewed), ARGV[4] owner. Returns `{'claimed'}` (also for the same owner asking again after a lost answer),
 * `{'mismatch'}` (another request used the key), `{'running'}`, or `{'done', record}`.
 */
export const CLAIM_LUA = `
local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
  return {'claimed'}
end
local record = cjson.decode(held)
if record.f ~= ARGV[2] then return {'mismatch'} end
if record.s == 'running' then
  if record.o == ARGV[4] then return {'claimed'} end
  return {'running'}
end
return {'done', held}
`;

/**
 * Complete: KEYS[1] record; ARGV[1] done record, ARGV[2] ttl in ms, ARGV[3] owner. 1 when stored (or
 * already stored by this owner's earlier try), 0 when the claim is gone.
 */
export const COMPLETE_LUA = `
local held = redis.call('GET', KEYS[1])
if not held then return 0 end
if held == ARGV[1] then return 1 end
local record = cjson.decode(held)
if record.s ~= 'running' or record.o ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** Renew: KEYS[1] record; ARGV[1] owner, ARGV[2] lease in ms. 1 when this owner's running claim was renewed. */
export const RENEW_LUA = `
local held = redis.call('GET', KEYS[1])
if not held then return 0 end
local record = cjson.decode(held)
if record.s ~= 'running' or record.o ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** Release: KEYS[1] record; ARGV[1] owner. Deletes a running claim of this owner (the request failed). */
export const RELEASE_LUA = `
local held = redis.call('GET', KEYS[1])
if not held then return 0 end
local record = cjson.decode(held)
if record.s ~= 'running' or record.o ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;
