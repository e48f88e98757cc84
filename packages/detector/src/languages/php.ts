/**
 * PHP: composer.json (the PHP constraint, laravel or symfony), the web root and a
 * production web server. PHP builds only on Paketo's jammy-full builder (or Heroku's).
 */
import { z } from 'zod';
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { BUILDERS, cite, escapeRegExp, found, matchLine } from './module-kit.js';

const ComposerSchema = z.object({
  name: z.string().optional().catch(undefined),
  require: z.record(z.string(), z.unknown()).catch({}).optional(),
  'require-dev': z.record(z.string(), z.unknown()).catch({}).optional(),
  scripts: z.record(z.string(), z.unknown()).catch({}).optional(),
}).passthrough();
type Composer = z.infer<typeof ComposerSchema>;

/** Composer's constraint as a buildpack (semver) constraint, or null when it does not translate. */
export function toPhpConstraint(spec: string): string | null {
  const s = spec.trim();
  // Composer's ~8.2 means >=8.2 <9, which semver writes ^8.2.
  const tilde = /^~(\d+\.\d+)$/.exec(s);
  if (tilde) return `^${tilde[1]}`;
  if (/^(\^|>=)?\d+(\.\d+){0,2}(\.\*)?$/.test(s)) return s;
  return null;
}

async function readComposer(files: AppFiles): Promise<{ composer: Composer | null; text: string }> {
  const text = (await files.text('composer.json')) ?? '';
  const raw = await files.json('composer.json');
  const parsed = ComposerSchema.safeParse(raw ?? {});
  return { composer: raw !== null && parsed.success ? parsed.data : null, text };
}

function lineOfKey(text: string, key: string): number | undefined {
  return matchLine(text, new RegExp(`"${escapeRegExp(key)}"\\s*:`))?.line;
}

/** The PHP language module. */
export const php: LanguageDetector = {
  language: 'php',
  score(files) {
    if (files.has('composer.json')) return files.has('artisan') || files.has('symfony.lock') ? 14 : 12;
    return files.has('index.php') || files.has('public/index.php') ? 3 : 0;
  },
  async detect(files): Promise<LanguageFindings> {
    const { composer, text } = await readComposer(files);
    const require = { ...(composer?.require ?? {}) };
    const requireDev = { ...(composer?.['require-dev'] ?? {}) };
    let framework: string | null = null;
    const frameworkEvidence: Evidence[] = [];
    if (files.has('artisan') || 'laravel/framework' in require) {
      framework = 'laravel';
      if (files.has('artisan')) frameworkEvidence.push(cite('Laravel\'s console', 'artisan'));
      if ('laravel/framework' in require) frameworkEvidence.push(cite('requires laravel/framework', 'composer.json', lineOfKey(text, 'laravel/framework')));
    } else if ('symfony/framework-bundle' in require) {
      framework = 'symfony';
      frameworkEvidence.push(cite('requires symfony/framework-bundle', 'composer.json', lineOfKey(text, 'symfony/framework-bundle')));
    } else frameworkEvidence.push(cite('no laravel/framework or symfony/framework-bundle'));

    const env: Record<string, string> = { BP_PHP_SERVER: 'nginx' };
    const envEvidence: Evidence[] = [cite('BP_PHP_SERVER=nginx: nginx with php-fpm instead of PHP\'s built-in development server')];
    const phpSpec = typeof require.php === 'string' ? require.php : null;
    const constraint = phpSpec ? toPhpConstraint(phpSpec) : null;
    if (constraint) {
      env.BP_PHP_VERSION = constraint;
      envEvidence.push(cite(`BP_PHP_VERSION=${constraint} honours composer.json's php requirement`, 'composer.json', lineOfKey(text, 'php')));
    }
    const webDir = framework ? 'public' : ['public', 'web', 'htdocs'].find((d) => files.has(`${d}/index.php`)) ?? (files.has('index.php') ? '.' : null);
    if (webDir) {
      env.BP_PHP_WEB_DIR = webDir;
      envEvidence.push(cite(`BP_PHP_WEB_DIR=${webDir}: the web root holding index.php (Paketo's default is htdocs)`, `${webDir === '.' ? '' : `${webDir}/`}index.php`));
    }

    let test: string | null = null;
    let testEvidence: Evidence = cite('no phpunit, pest or composer test script');
    if (composer?.scripts && 'test' in composer.scripts) { test = 'composer test'; testEvidence = cite('the test script', 'composer.json', lineOfKey(text, 'test')); }
    else if (framework === 'laravel' && files.has('artisan')) { test = 'php artisan test'; testEvidence = cite('Laravel\'s test runner', 'artisan'); }
    else if ('pestphp/pest' in requireDev) { test = 'vendor/bin/pest'; testEvidence = cite('requires pestphp/pest', 'composer.json', lineOfKey(text, 'pestphp/pest')); }
    else if ('phpunit/phpunit' in requireDev || files.has('phpunit.xml') || files.has('phpunit.xml.dist')) {
      test = 'vendor/bin/phpunit'; testEvidence = cite('PHPUnit', 'composer.json', lineOfKey(text, 'phpunit/phpunit'));
    }
    const start = `nginx + php-fpm serving ${webDir ?? 'htdocs'}/ (Paketo php-start)`;
    const name = composer?.name?.split('/').pop();
    return {
      ...(name ? { name: found(name, cite('the package name', 'composer.json', lineOfKey(text, 'name'))) } : {}),
      language: found('php', files.has('composer.json') ? cite('a Composer project', 'composer.json') : cite('index.php without composer.json')),
      packageManager: found(files.has('composer.json') ? 'composer' : null, files.has('composer.json')
        ? cite(files.has('composer.lock') ? 'with composer.lock' : 'no composer.lock: versions resolved at build time', 'composer.json')
        : cite('no composer.json')),
      framework: found(framework, ...frameworkEvidence),
      runtimeVersion: found(phpSpec, phpSpec ? cite('requires php', 'composer.json', lineOfKey(text, 'php')) : cite('no php requirement: the buildpack default is used')),
      buildCommand: found(null, cite('the composer buildpack runs composer install; no separate build step')),
      start: found(start, cite('Paketo\'s php-start runs nginx and php-fpm as the web process'),
        ...(framework === 'laravel' ? [cite('Laravel needs APP_KEY at deploy time')] : framework === 'symfony' ? [cite('Symfony needs APP_ENV=prod and APP_SECRET at deploy time')] : [])),
      test: found(test, testEvidence),
      port: { honoursPortEnv: true, hardcoded: null, evidence: [cite('Paketo\'s php-start configures the web server to listen on $PORT')] },
      builder: found(BUILDERS.paketoFull, cite('PHP buildpacks ship only in Paketo\'s jammy-full builder (and Heroku\'s, which reads no BP_* settings)')),
      buildpacks: found([], cite('the builder\'s own order detects PHP')),
      buildEnv: found(env, ...envEvidence),
    };
  },
};
