import { z } from 'zod';

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

/** An environment boolean: `true/false/1/0/yes/no`, any case, surrounding spaces ignored. */
export const envBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v in BOOLEAN_WORDS, 'expected one of true, false, 1, 0, yes, no')
  .transform((v) => BOOLEAN_WORDS[v]);

/** An environment integer (whole number, optional sign); ranges are checked by the options schema. */
export const envInteger = z
  .string()
  .trim()
  .regex(/^-?\d+$/, 'expected an integer')
  .transform(Number);

/** Environment variables with blank values removed: blank counts as unset. */
export function presentEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
}
