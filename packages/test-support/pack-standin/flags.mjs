// The flag table of real `pack build` (pack contract section 1) and pack's global flags.
// Test support only.

/** Flags that take a value: long name -> short name (or null). */
export const VALUE_FLAGS = new Map([
  ['builder', 'B'], ['path', 'p'], ['tag', 't'], ['env', 'e'], ['env-file', null], ['buildpack', 'b'],
  ['pre-buildpack', null], ['post-buildpack', null], ['extension', null], ['cache-image', null], ['cache', null],
  ['run-image', null], ['pull-policy', null], ['descriptor', 'd'], ['default-process', 'D'], ['creation-time', null],
  ['sbom-output-dir', null], ['report-output-dir', null], ['previous-image', null], ['platform', null], ['network', null],
  ['volume', null], ['lifecycle-image', null], ['docker-host', null], ['workspace', null], ['gid', null], ['uid', null],
  ['buildpack-registry', 'r'], ['exec-env', null],
]);

/** Boolean flags of `pack build`. */
export const BOOL_FLAGS = new Set([
  'publish', 'clear-cache', 'trust-builder', 'trust-extra-buildpacks', 'insecure-registry', 'disable-system-buildpacks',
  'userns-host', 'interactive', 'sparse', 'help',
]);

/** Global flags (every command). */
export const GLOBAL_BOOL = new Map([['no-color', null], ['force-color', null], ['timestamps', null], ['quiet', 'q'], ['verbose', 'v'], ['version', null]]);

/** Flags whose values are split on commas (string slices in cobra). */
export const SLICE_FLAGS = new Set(['tag', 'buildpack', 'extension']);

/**
 * Parses argv like cobra/pflag: --name value, --name=value, -x value, -xvalue, bools.
 * Returns { positionals, values: Map<name, string[]>, bools: Set<name> } or { error }.
 */
export function parseArgs(argv, valueFlags, boolFlags) {
  const values = new Map();
  const bools = new Set();
  const positionals = [];
  const shortToLong = new Map();
  for (const [long, short] of valueFlags) if (short) shortToLong.set(short, long);
  for (const [long, short] of GLOBAL_BOOL) if (short) shortToLong.set(short, long);
  const isBool = (name) => boolFlags.has(name) || GLOBAL_BOOL.has(name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    let name;
    let inline;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq > 0 ? arg.slice(eq + 1) : undefined;
      if (!valueFlags.has(name) && !isBool(name)) return { error: `unknown flag: --${name}` };
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1];
      name = shortToLong.get(short);
      if (!name) return { error: `unknown shorthand flag: '${short}' in ${arg}` };
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
    } else {
      positionals.push(arg);
      continue;
    }
    if (isBool(name)) {
      if (inline === undefined || inline === 'true') bools.add(name);
      else if (inline !== 'false') return { error: `invalid argument "${inline}" for "--${name}" flag: strconv.ParseBool: parsing "${inline}": invalid syntax` };
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) return { error: `flag needs an argument: --${name}` };
      value = argv[++i];
    }
    const list = values.get(name) ?? [];
    list.push(...(SLICE_FLAGS.has(name) ? value.split(',') : [value]));
    values.set(name, list);
  }
  return { positionals, values, bools };
}
