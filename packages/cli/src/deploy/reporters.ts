/** Reporter wrappers for deploy: mask secrets in every line, and nest a library's stages as steps. */
import type { Redactor, Reporter } from '@bim-pack/shared';

/** Masks every known secret value in everything reported. */
export function redactingReporter(inner: Reporter, redactor: Redactor): Reporter {
  const r = (text: string) => redactor.redact(text);
  return {
    stage: (name, message) => inner.stage(name, message === undefined ? undefined : r(message)),
    step: (message) => inner.step(r(message)),
    info: (message) => inner.info(r(message)),
    warn: (message) => inner.warn(r(message)),
    debug: (message) => inner.debug(r(message)),
    output: (source, line) => inner.output(source, r(line)),
  };
}

/** A library that announces its own stage (the builder) runs inside ours: its stage line becomes a step. */
export function nestedReporter(inner: Reporter): Reporter {
  return { ...inner, stage: (name, message) => inner.step(`${name}${message ? `: ${message}` : ''}`) };
}
