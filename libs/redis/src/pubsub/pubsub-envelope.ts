/** What travels on the wire: the publisher, its sequence number, the time and the data. */
export interface PubSubEnvelope {
  /** Origin: the publishing instance. */
  o: string;
  /** Sequence number of this origin on this channel, from 1. */
  s: number;
  /** Publication time, epoch milliseconds. */
  t: number;
  /** The data. */
  d: unknown;
}

/** JSON text of an envelope. @throws TypeError when `data` cannot be serialised to JSON. */
export function encodeEnvelope(envelope: PubSubEnvelope): string {
  if (envelope.d === undefined) throw new TypeError('publish: data is undefined; publish null or a JSON value');
  return JSON.stringify(envelope);
}

/** The envelope in `text`, or undefined when the text is not one (a message published by someone else). */
export function decodeEnvelope(text: string): PubSubEnvelope | undefined {
  if (!text.startsWith('{"o":')) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PubSubEnvelope>;
    const valid =
      typeof value.o === 'string' && Number.isSafeInteger(value.s) && typeof value.t === 'number' && 'd' in value;
    return valid ? (value as PubSubEnvelope) : undefined;
  } catch {
    return undefined;
  }
}
