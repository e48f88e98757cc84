/**
 * The cac command table. Each command's code lives in commands/<name>.ts and is
 * loaded only when that command runs, so start-up stays cheap.
 */
import { cac } from 'cac';
import { BimError } from '@bim-pack/shared/errors';
import type { CommandContext, CommandResult, GlobalOptions } from './context.js';
import { VERSION } from './version.js';

/** A parsed command line, ready to run. */
export interface Invocation {
  command: string;
  globals: GlobalOptions;
  run(context: CommandContext): Promise<CommandResult>;
}

type Options = Record<string, unknown>;
type Loader = () => Promise<{ run(context: CommandContext, args: string[], options: Options): Promise<CommandResult> }>;

const collect = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);

/** Parses argv; resolves to the invocation, or undefined when help/version was printed. */
export async function buildCli(argv: string[]): Promise<Invocation | undefined> {
  const cli = cac('bim-pack');
  let chosen: { name: string; load: Loader; args: string[]; options: Options } | undefined;
  const on = (name: string, load: Loader) => (...params: unknown[]) => {
    const options = params.pop() as Options;
    chosen = { name, load, args: params.flat().filter((p) => p !== undefined).map(String), options };
  };

  cli.option('--json', 'Print one machine-readable JSON result document on stdout');
  cli.option('--progress <mode>', 'Progress on stderr: auto, plain or json (one JSON event per line)', { default: 'auto' });
  cli.option('--verbose', 'Show all output of child processes (pack, tests)');
  cli.option('--debug', 'Show stack traces and debug lines');
  cli.option('--cwd <dir>', 'Run as if started in <dir>');

  cli
    .command('detect [dir]', 'Read an app folder and print its plan (language, framework, start command, builder...)')
    .option('--path <path>', 'In a monorepo: the app folder to plan, relative to dir')
    .example('bim-pack detect')
    .example('bim-pack detect . --path apps/api --json')
    .action(on('detect', () => import('./commands/detect.js')));

  cli
    .command('build [dir]', 'Build the app with Cloud Native Buildpacks (pack) and print the image digest')
    .option('--path <path>', 'In a monorepo: the app folder, relative to dir')
    .option('--image <name>', 'Image name (default ghcr.io/<owner>/<repo>[/<app>] from the git remote)')
    .option('--tag <tag>', 'Extra tag (repeatable)')
    .option('--builder <image>', 'Builder image (overrides the plan and project.toml)')
    .option('--buildpack <ref>', 'Extra buildpack (repeatable)')
    .option('--env <K=V>', 'Build-time env (repeatable)')
    .option('--publish', 'Push the image to its registry (default: into the local Docker engine)')
    .option('--cache-image <name>', 'Registry cache image (needs --publish)')
    .option('--pull-policy <policy>', 'always, never or if-not-present')
    .option('--force', 'Build even when an image for the same source exists')
    .example('bim-pack build --publish')
    .example('bim-pack build --image ghcr.io/acme/shop --tag latest --publish --json')
    .action(on('build', () => import('./commands/build.js')));

  cli
    .command('deploy [dir]', 'Test, detect, build, publish, deploy, wait until live and smoke-test')
    .option('--path <path>', 'In a monorepo: the app folder, relative to dir')
    .option('--target <target>', '"local" (this machine\'s platform) or a Backend.im URL')
    .option('--app <name>', 'App name (default from the plan)')
    .option('--image <name>', 'Image name for remote targets')
    .option('--tag <tag>', 'Extra image tag (repeatable)')
    .option('--env <K=V>', 'Runtime env (repeatable)')
    .option('--env-file <file>', 'Runtime env file (default .env)')
    .option('--skip-tests', 'Do not run the app\'s tests first')
    .option('--force', 'Build even when an image for the same source exists')
    .option('--cache-image <name>', 'Registry cache image')
    .option('--smoke-timeout <seconds>', 'How long smoke checks may retry before failing', { default: 30 })
    .option('--start-timeout <seconds>', 'How long the new revision may take to pass its health check (platform default 60)')
    .example('bim-pack deploy')
    .example('bim-pack deploy --target local --json')
    .example('BACKEND_IM_TOKEN=... bim-pack deploy --target https://api.backend.im')
    .action(on('deploy', () => import('./commands/deploy.js')));

  for (const [name, usage, description] of [
    ['status', 'status [app]', 'Show the app\'s current deployment and revision'],
    ['logs', 'logs [app]', 'Show the app\'s logs'],
    ['rollback', 'rollback [revision]', 'Roll the app back to the previous (or the named) revision'],
    ['destroy', 'destroy [app]', 'Remove the app and all its revisions'],
    ['apps', 'apps', 'List apps on the target'],
  ] as const) {
    const command = cli
      .command(usage, description)
      .option('--target <target>', '"local" or a Backend.im URL')
      .option('--app <name>', 'App name (default from the plan of the current folder)');
    if (name === 'logs') command.option('--follow', 'Keep printing new lines').option('--tail <n>', 'Lines to show', { default: 100 });
    if (name === 'destroy') command.option('--yes', 'Do not ask for confirmation');
    command.example(`bim-pack ${name}${name === 'logs' ? ' --follow' : ''}`);
    command.action(on(name, () => import(`./commands/${name}.js`)));
  }

  cli
    .command('init [dir]', 'Write project.toml, .env.example, a GitHub workflow and Claude Code files for this app')
    .option('--path <path>', 'In a monorepo: the app folder, relative to dir')
    .option('--app <name>', 'App name to record (default from the plan)')
    .option('--target <target>', 'Deploy target to record: "local" or a Backend.im URL')
    .option('--image <name>', 'Image name to record (default ghcr.io/<owner>/<repo> at deploy time)')
    .option('--start <command>', 'Start command, when the plan found none')
    .option('--branch <branch>', 'Branch whose pushes deploy (default: the git default branch)')
    .option('--force', 'Overwrite existing files (and replace an edited bim-pack section of CLAUDE.md)')
    .option('--dry-run', 'Print what would be written; write nothing')
    .option('--yes', 'Ask nothing on a terminal: take the flags and the plan as they are')
    .example('bim-pack init')
    .example('bim-pack init --dry-run')
    .example('bim-pack init apps/api --target https://api.backend.im --branch main --json')
    .example('bim-pack init . --path services/web --start "node server.js" --yes')
    .action(on('init', () => import('./commands/init.js')));

  cli
    .command('doctor [dir]', 'Check pack, Docker, registry credentials, the target and token, the builder, git and project.toml')
    .option('--path <path>', 'In a monorepo: the app folder, relative to dir')
    .option('--target <target>', '"local" or a Backend.im URL (default BACKEND_IM_URL, project.toml, or a running local platform)')
    .option('--image <name>', 'Image name whose registry credentials to check')
    .option('--strict', 'Warnings fail too (dirty tree, no project.toml...)')
    .example('bim-pack doctor')
    .example('bim-pack doctor --json')
    .example('BACKEND_IM_URL=https://api.backend.im bim-pack doctor --image ghcr.io/acme/shop --strict')
    .action(on('doctor', () => import('./commands/doctor.js')));

  cli
    .command('platform <action>', 'Run the self-hosted deploy platform (action: start)')
    .option('--host <host>', 'Address to listen on', { default: '127.0.0.1' })
    .option('--port <port>', 'API port', { default: 7070 })
    .option('--proxy-port <port>', 'nginx port serving http://<app>.localhost:<port>', { default: 7080 })
    .option('--data-dir <dir>', 'State directory (default ~/.bim-pack/platform)')
    .option('--token <token>', 'API token (default: generated once and stored in the data dir)')
    .option('--runtime <runtime>', 'docker (default) or swarm')
    .option('--memory <mb>', 'Memory limit per revision in MiB', { default: 512 })
    .option('--keep-revisions <n>', 'Stopped revisions kept per app for rollback', { default: 3 })
    .option('--drain-seconds <s>', 'Override every deployment\'s drain time before the old revision stops')
    .example('bim-pack platform start')
    .example('bim-pack platform start --port 7070 --proxy-port 7080 --data-dir ./.platform')
    .action(on('platform', () => import('./commands/platform.js')));

  cli.help();
  cli.version(VERSION);

  try {
    cli.parse(['node', 'bim-pack', ...argv], { run: false });
  } catch (error) {
    throw new BimError('USAGE_BAD_FLAG', (error as Error).message, { hint: 'run `bim-pack --help` for the commands and flags' });
  }
  const options = cli.options as Options;
  if (options.help || options.version) return undefined;
  if (!cli.matchedCommand && cli.args.length === 0) {
    cli.outputHelp();
    return undefined;
  }
  try {
    await cli.runMatchedCommand();
  } catch (error) {
    throw new BimError('USAGE_BAD_FLAG', (error as Error).message, { hint: 'run `bim-pack --help` for the commands and flags' });
  }
  if (!chosen) {
    throw new BimError('USAGE_BAD_FLAG', `unknown command: ${cli.args.join(' ')}`, { hint: 'run `bim-pack --help` for the commands' });
  }
  const { name, load, args, options: commandOptions } = chosen;
  const progress = String(commandOptions.progress ?? 'auto');
  if (!['auto', 'plain', 'json'].includes(progress)) {
    throw new BimError('USAGE_BAD_FLAG', `--progress must be auto, plain or json, not "${progress}"`, { hint: 'use --progress json for one JSON event per line' });
  }
  const globals: GlobalOptions = {
    cwd: commandOptions.cwd ? String(commandOptions.cwd) : process.cwd(),
    json: Boolean(commandOptions.json),
    debug: Boolean(commandOptions.debug),
    verbose: Boolean(commandOptions.verbose),
    progress: progress as GlobalOptions['progress'],
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY) && !process.env.CI,
  };
  return {
    command: name,
    globals,
    run: async (context) => (await load()).run(context, args, commandOptions),
  };
}

/** Repeatable string flags arrive as a string or an array; this always gives an array. */
export { collect };
