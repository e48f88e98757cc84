/** Secret masking: values bim-pack knows to be secret are replaced before anything is printed. */
export const MASK = '***';

/** Holds secret values and masks them in any text. Values shorter than 4 chars are not masked (too many false hits). */
export class Redactor {
  private readonly secrets = new Set<string>();
  add(...values: Array<string | undefined | null>): this {
    for (const value of values) if (value && value.length >= 4) this.secrets.add(value);
    return this;
  }
  get size(): number {
    return this.secrets.size;
  }
  values(): string[] {
    return [...this.secrets];
  }
  /** Masks every known secret in text. Longest first, so a secret containing another is masked whole. */
  redact(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }
}
