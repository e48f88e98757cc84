/**
 * Ruby: bundler (Gemfile, Gemfile.lock), rails, sinatra or plain rack, the pinned
 * Ruby version and the web server command (puma, unicorn, rackup) on $PORT.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { BUILDERS, cite, defaultProcessEnv, firstValue, found, matchLine, readToolVersions, toVersionConstraint, warning } from './module-kit.js';

type Gems = Map<string, number>;

/** `gem 'name'` lines of a Gemfile -> line. */
function readGems(text: string): Gems {
  const gems: Gems = new Map();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const name = /^\s*gem\s+['"]([\w.-]+)['"]/.exec(lines[i] ?? '')?.[1];
    if (name && !gems.has(name)) gems.set(name, i + 1);
  }
  return gems;
}

async function readRubyVersion(files: AppFiles, gemfile: string): Promise<{ value: string | null; evidence: Evidence }> {
  const dot = await files.text('.ruby-version');
  const pin = dot === null ? null : firstValue(dot);
  if (pin) return { value: pin.value.replace(/^ruby-/, ''), evidence: cite('pins Ruby', '.ruby-version', pin.line) };
  const line = matchLine(gemfile, /^\s*ruby\s+['"]([^'"]+)['"]/m);
  if (line?.match[1]) return { value: line.match[1], evidence: cite('the ruby line pins Ruby', 'Gemfile', line.line) };
  const lock = await files.text('Gemfile.lock');
  const locked = lock === null ? null : matchLine(lock, /^RUBY VERSION\s*\n\s*ruby\s+(\d+(?:\.\d+){0,2})/m);
  if (locked?.match[1]) return { value: locked.match[1], evidence: cite('records the Ruby version', 'Gemfile.lock', locked.line + 1) };
  const tool = await readToolVersions(files, ['ruby']);
  if (tool) return { value: tool.version, evidence: cite('pins ruby', '.tool-versions', tool.line) };
  return { value: null, evidence: cite('no Ruby version pinned: the buildpack default is used') };
}

function chooseFramework(files: AppFiles, gems: Gems): { value: string | null; evidence: Evidence[] } {
  if (gems.has('rails') || files.has('config/application.rb')) {
    return { value: 'rails', evidence: [gems.has('rails') ? cite('the rails gem', 'Gemfile', gems.get('rails')) : cite('a Rails application', 'config/application.rb')] };
  }
  if (gems.has('sinatra')) return { value: 'sinatra', evidence: [cite('the sinatra gem', 'Gemfile', gems.get('sinatra'))] };
  if (files.has('config.ru')) return { value: 'rack', evidence: [cite('a Rack app', 'config.ru')] };
  return { value: null, evidence: [cite('no rails or sinatra gem and no config.ru')] };
}

/** The web server command, always binding 0.0.0.0 on PORT (8080 when unset). */
async function chooseStart(files: AppFiles, gems: Gems, framework: string | null): Promise<{ value: string | null; evidence: Evidence[] }> {
  const port = '${PORT:-8080}';
  if (framework === 'rails') {
    return { value: `bundle exec rails server -b 0.0.0.0 -p ${port} -e production`, evidence: [cite('Rails\' own server command, in production (needs SECRET_KEY_BASE or RAILS_MASTER_KEY at deploy time)')] };
  }
  if (files.has('config.ru')) {
    if (gems.has('puma')) return { value: `bundle exec puma -b tcp://0.0.0.0:${port}`, evidence: [cite('puma serves config.ru', 'Gemfile', gems.get('puma'))] };
    if (gems.has('unicorn')) return { value: `bundle exec unicorn -p ${port}`, evidence: [cite('unicorn serves config.ru', 'Gemfile', gems.get('unicorn'))] };
    return { value: `bundle exec rackup -o 0.0.0.0 -p ${port}`, evidence: [cite('rackup serves config.ru', 'config.ru')] };
  }
  if (framework === 'sinatra') {
    for (const file of files.find((p) => !p.includes('/') && p.endsWith('.rb'))) {
      const text = (await files.text(file)) ?? '';
      const hit = matchLine(text, /^\s*require\s+['"]sinatra(\/base)?['"]/m);
      if (hit) return { value: `bundle exec ruby ${file} -o 0.0.0.0 -p ${port}`, evidence: [cite('a classic Sinatra app runs itself', file, hit.line)] };
    }
  }
  return { value: null, evidence: [cite('no config.ru and no Rails or Sinatra app file: add a Procfile with "web: bundle exec puma -b tcp://0.0.0.0:$PORT"')] };
}

function chooseTest(files: AppFiles, gems: Gems, framework: string | null): { value: string | null; evidence: Evidence } {
  if (gems.has('rspec-rails') || gems.has('rspec') || files.has('.rspec')) return { value: 'bundle exec rspec', evidence: cite('RSpec', 'Gemfile', gems.get('rspec-rails') ?? gems.get('rspec')) };
  if (framework === 'rails' && files.files.some((p) => p.startsWith('test/'))) return { value: 'bundle exec rails test', evidence: cite('Rails\' test/ folder') };
  if (files.has('Rakefile') && files.files.some((p) => p.startsWith('test/'))) return { value: 'bundle exec rake test', evidence: cite('a Rakefile and a test/ folder', 'Rakefile') };
  return { value: null, evidence: cite('no RSpec and no test/ folder') };
}

/** The Ruby language module. */
export const ruby: LanguageDetector = {
  language: 'ruby',
  score(files) {
    if (!files.has('Gemfile')) return 0;
    return files.has('Gemfile.lock') || files.has('config.ru') || files.has('config/application.rb') ? 12 : 10;
  },
  async detect(files): Promise<LanguageFindings> {
    const gemfile = (await files.text('Gemfile')) ?? '';
    const gems = readGems(gemfile);
    const version = await readRubyVersion(files, gemfile);
    const framework = chooseFramework(files, gems);
    const start = await chooseStart(files, gems, framework.value);
    const servers = ['puma', 'unicorn', 'thin', 'falcon', 'passenger'].filter((g) => gems.has(g));
    if (start.value !== null && servers.length === 0 && !start.value.includes(' ruby ')) {
      files.warn(warning('RUBY_SERVER_MISSING', 'no web server gem (puma, unicorn, thin, falcon) in the Gemfile', { file: 'Gemfile', hint: 'bundle add puma' }));
    }
    if (!files.has('Gemfile.lock')) {
      files.warn(warning('RUBY_LOCK_MISSING', 'no Gemfile.lock: gem versions are resolved afresh at build time and Heroku refuses the build', { hint: 'run `bundle lock` and commit Gemfile.lock' }));
    }
    const process = await defaultProcessEnv(files, start.value);
    const env: Record<string, string> = { ...process.env };
    const envEvidence = [...process.evidence];
    const constraint = version.value ? toVersionConstraint(version.value) : null;
    if (constraint) {
      env.BP_MRI_VERSION = constraint;
      envEvidence.push(cite(`BP_MRI_VERSION=${constraint} honours the pinned Ruby`));
    }
    const test = chooseTest(files, gems, framework.value);
    const assets = framework.value === 'rails' && files.files.some((p) => p.startsWith('app/assets/') || p.startsWith('app/javascript/'));
    const appModule = files.has('config/application.rb') ? matchLine((await files.text('config/application.rb')) ?? '', /^module\s+(\w+)/m) : null;
    return {
      ...(appModule ? { name: found(appModule.match[1]!, cite('the Rails application module', 'config/application.rb', appModule.line)) } : {}),
      language: found('ruby', cite('a Bundler Gemfile', 'Gemfile')),
      packageManager: found('bundler', cite('Bundler manifest', 'Gemfile'), ...(files.has('Gemfile.lock') ? [cite('pins the gems', 'Gemfile.lock')] : [])),
      framework: found(framework.value, ...framework.evidence),
      runtimeVersion: found(version.value, version.evidence),
      buildCommand: found(assets ? 'bundle exec rails assets:precompile' : null,
        assets ? cite('Paketo\'s rails-assets buildpack precompiles app/assets') : cite('no asset pipeline to run')),
      start: found(start.value, ...start.evidence),
      test: found(test.value, test.evidence),
      port: start.value
        ? { honoursPortEnv: true, hardcoded: null, evidence: [cite('the start command passes $PORT and binds 0.0.0.0')] }
        : { honoursPortEnv: null, hardcoded: null, evidence: [cite('no start command: the port cannot be told')] },
      builder: found(BUILDERS.paketoBase, cite('Paketo honours BP_MRI_VERSION and BP_PROCFILE_DEFAULT_PROCESS; Heroku needs Gemfile.lock and reads no BP_* settings')),
      buildpacks: found([], cite('the builder\'s own order detects Ruby')),
      buildEnv: found(env, ...envEvidence),
    };
  },
};
