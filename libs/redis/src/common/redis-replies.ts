/** Redis' flat `[field, value, field, value…]` replies (e.g. `SENTINEL MASTER`) as a record. */
export function pairsToRecord(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]] = fields[i + 1];
  return record;
}

/** The `field:value` lines of an `INFO` reply as a record (section headers and blank lines skipped). */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/** One `slaveN:ip=…,port=…,state=…,offset=…,lag=…` value of `INFO replication`. */
export interface ConnectedReplica {
  host: string;
  port: number;
  online: boolean;
  offset: number;
  lagSeconds: number;
}

/** The replicas a primary lists in `INFO replication`. */
export function connectedReplicas(info: Record<string, string>): ConnectedReplica[] {
  return Object.entries(info)
    .filter(([key]) => /^slave\d+$/.test(key))
    .map(([, value]) => {
      const parts: Record<string, string> = Object.fromEntries(
        value.split(',').map((pair) => pair.split('=') as [string, string]),
      );
      return {
        host: parts.ip,
        port: Number(parts.port),
        online: parts.state === 'online',
        offset: Number(parts.offset),
        lagSeconds: Number(parts.lag),
      };
    });
}
