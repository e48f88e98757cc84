/**
 * Procfile-only apps: a Procfile with a `web:` process and no recognised language.
 * The Procfile buildpack runs the command as is; the command must exist in the image.
 */
import { parseProcfile } from '../procfile.js';
import { found } from '../text.js';
import type { LanguageDetector } from '../types.js';
import { APP_SCORE } from '../types.js';

/** Procfile module: scores just at the app threshold so any real language wins over it. */
export const procfileDetector: LanguageDetector = {
  language: 'procfile',
  score: async (files) => {
    if (!files.has('Procfile')) return 0;
    const text = await files.text('Procfile');
    return text && parseProcfile(text).some((e) => e.name === 'web') ? APP_SCORE : 1;
  },
  async detect(files) {
    const text = (await files.text('Procfile')) ?? '';
    const web = parseProcfile(text).find((e) => e.name === 'web');
    return {
      language: found('procfile', 'a Procfile with no language manifest next to it', 'Procfile', web?.line),
      buildpacks: found(['paketo-buildpacks/procfile'], 'only the Procfile buildpack applies to a Procfile-only app', 'Procfile'),
      port: {
        honoursPortEnv: web ? /\$\{?PORT\b/.test(web.command) : null,
        hardcoded: null,
        evidence: web ? [{ file: 'Procfile', line: web.line, reason: /\$\{?PORT\b/.test(web.command) ? 'the web command uses $PORT' : 'the web command does not mention $PORT' }] : [],
      },
    };
  },
};
