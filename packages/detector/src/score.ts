/** Asks every language module how strongly a folder looks like its language. */
import type { Language } from '@bim-pack/shared';
import { LANGUAGE_DETECTORS } from './languages/index.js';
import type { AppFiles, LanguageDetector } from './types.js';

/** One module's score for a folder. */
export interface Score {
  module: LanguageDetector;
  language: Language;
  score: number;
}

/** All positive scores, best first (registry order breaks ties). */
export async function scoreFolder(files: AppFiles, modules: readonly LanguageDetector[] = LANGUAGE_DETECTORS): Promise<Score[]> {
  const scores: Score[] = [];
  for (const module of modules) {
    const score = await module.score(files);
    if (score > 0) scores.push({ module, language: module.language, score });
  }
  // Array.prototype.sort is stable, so equal scores keep registry order.
  return scores.sort((a, b) => b.score - a.score);
}
