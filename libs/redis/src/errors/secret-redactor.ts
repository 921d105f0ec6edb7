/** Credentials inside a connection URL: `scheme://user:password@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi;

/**
 * Removes known secrets and URL credentials from text before it is logged or returned.
 * A second line of defence: messages are built without secrets in the first place.
 */
export class SecretRedactor {
  private readonly secrets: string[];

  /** @param secrets passwords and tokens that must never appear; empty values are ignored. */
  constructor(secrets: ReadonlyArray<string | undefined>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = secrets.filter((s): s is string => !!s).sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret replaced by `***` and URL credentials dropped. */
  redact(text: string): string {
    let result = text.replace(URL_CREDENTIALS, '$1***@');
    for (const secret of this.secrets) result = result.split(secret).join('***');
    return result;
  }
}
