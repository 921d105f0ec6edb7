/**
 * The lock's Lua scripts. The lock key holds `<fence>:<token>` with the lock's expiry; the fence key
 * holds the last fence handed out for that name, and never expires (a fence must never be handed
 * out twice). Both keys share the name's slot.
 */

/**
 * Grant: KEYS[1] lock, KEYS[2] fence; ARGV[1] token, ARGV[2] ttl in ms. Returns the new fence, or
 * the fence already granted to this token (the same call sent again after a lost answer: its TTL
 * is renewed), or 0 while someone else holds the lock.
 */
export const GRANT_LUA = `
local held = redis.call('GET', KEYS[1])
if held then
  local colon = string.find(held, ':', 1, true)
  if colon and string.sub(held, colon + 1) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return tonumber(string.sub(held, 1, colon - 1))
  end
  return 0
end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], fence .. ':' .. ARGV[1], 'PX', ARGV[2])
return fence
`;

/** Extend: KEYS[1] lock; ARGV[1] `<fence>:<token>`, ARGV[2] ttl in ms. 1 when extended, 0 when not held by it. */
export const EXTEND_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** Release: KEYS[1] lock; ARGV[1] `<fence>:<token>`. 1 when released, 0 when not held by it (expired, or taken since). */
export const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;
