/** Runs deploy stages one by one: each is announced, timed, and named on the error it throws. */
import { BimError, isBimError, Redactor, type Reporter } from '@bim-pack/shared';
import type { DeployStage, StageTiming } from '../result-schema.js';

/** Facts about the deployment known so far, attached to a failure (never secrets). */
export type KnownFacts = Partial<Record<'digest' | 'imageRef' | 'url' | 'deploymentId' | 'revision', string>>;

/** Times stages and decorates errors with the failed stage, the timings and what is known. */
export class StageRunner {
  readonly timings: StageTiming[] = [];
  readonly facts: KnownFacts = {};
  private readonly started = Date.now();
  constructor(private readonly reporter: Reporter, private readonly redactor: Redactor = new Redactor()) {}

  /** Runs one stage. `fn` may return a note ("reused ...") or mark the stage skipped. */
  async run<T>(name: DeployStage, message: string, fn: (mark: (status: 'ok' | 'skipped', note?: string) => void) => Promise<T>): Promise<T> {
    this.reporter.stage(name, message);
    const t0 = Date.now();
    let status: 'ok' | 'skipped' = 'ok';
    let note: string | undefined;
    try {
      const value = await fn((s, n) => { status = s; note = n; });
      this.timings.push({ name, status, durationMs: Date.now() - t0, ...(note ? { note } : {}) });
      return value;
    } catch (error) {
      this.timings.push({ name, status: 'failed', durationMs: Date.now() - t0 });
      throw this.decorate(error, name);
    }
  }

  /** Records a stage that did not run. */
  skip(name: DeployStage, note: string): void {
    this.reporter.stage(name, `skipped: ${note}`);
    this.timings.push({ name, status: 'skipped', durationMs: 0, note });
  }

  /** Milliseconds since the runner was made. */
  elapsed(): number {
    return Date.now() - this.started;
  }

  /**
   * A copy of a BimError with stage, timings and facts in its details (non-BimErrors pass through).
   * Secrets are masked everywhere in it: an app's log tail or a smoke body may echo an env value.
   */
  decorate(error: unknown, stage: DeployStage): unknown {
    if (!isBimError(error)) return error;
    const e = error as BimError;
    if (e.details?.stage) return e;
    return new BimError(e.code, this.redactor.redact(e.message), {
      hint: e.hint === undefined ? undefined : this.redactor.redact(e.hint), cause: e.cause ?? e,
      details: redactDeep({ ...this.facts, ...e.details, stage, stages: this.timings }, this.redactor) as Record<string, unknown>,
    });
  }
}

/** Masks secrets in every string of a JSON-like value. */
export function redactDeep(value: unknown, redactor: Redactor): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redactor)]));
  return value;
}
