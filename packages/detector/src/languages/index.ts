/**
 * The registered language modules, in tie-break order (earlier wins a tie).
 * Add a module by importing it and listing it here.
 */
import type { LanguageDetector } from '../types.js';
import { nodeDetector } from './node/index.js';
import { procfileDetector } from './procfile.js';
import { go } from './go.js';
import { java, kotlin } from './java.js';
import { python } from './python.js';
import { staticDetector } from './static.js';

/** Every language module the core consults. */
export const LANGUAGE_DETECTORS: readonly LanguageDetector[] = [
  nodeDetector,
  python,
  go,
  java,
  kotlin,
  staticDetector,
  procfileDetector,
];
