/**
 * The registered language modules, in tie-break order (earlier wins a tie).
 * Add a module by importing it and listing it here.
 */
import type { LanguageDetector } from '../types.js';
import { dotnet } from './dotnet.js';
import { go } from './go.js';
import { java, kotlin } from './java.js';
import { nodeDetector } from './node/index.js';
import { php } from './php.js';
import { procfileDetector } from './procfile.js';
import { python } from './python.js';
import { ruby } from './ruby.js';
import { rust } from './rust.js';
import { staticDetector } from './static.js';

/** Every language module the core consults. */
export const LANGUAGE_DETECTORS: readonly LanguageDetector[] = [
  nodeDetector,
  python,
  go,
  java,
  kotlin,
  ruby,
  php,
  dotnet,
  rust,
  staticDetector,
  procfileDetector,
];
