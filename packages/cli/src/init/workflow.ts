/**
 * The GitHub Actions workflow `bim-pack init` writes: on push to the default branch, install
 * pack, log in to GHCR, `bim-pack deploy --json`, URL as a job output and in the job summary.
 * Built as data and printed with the yaml library.
 */
import { Document } from 'yaml';
import type { Plan } from '@bim-pack/shared';
import { VERSION } from '../version.js';
import { SUMMARIZE_SCRIPT } from './templates/summarize-script.js';

/** Pinned actions (update together; the pack version is setup-pack's own default for v6.1.0). */
export const ACTIONS = {
  checkout: 'actions/checkout@v4',
  setupNode: 'actions/setup-node@v4',
  setupPack: 'buildpacks/github-actions/setup-pack@v6.1.0',
  login: 'docker/login-action@v3',
} as const;
export const PACK_VERSION = '0.40.9';

/** What the workflow needs beyond the plan. */
export interface WorkflowInput {
  plan: Plan;
  /** The branch whose pushes deploy. */
  branch: string;
  /** A Backend.im URL recorded at init; otherwise the BACKEND_IM_URL secret. */
  targetUrl?: string | undefined;
  /** bim-pack version to run in CI (default: this one). */
  version?: string;
}

/** The workflow file's path, relative to the repo root: one per app in a monorepo. */
export function workflowPath(plan: Plan): string {
  return plan.path === '.' ? '.github/workflows/deploy.yml' : `.github/workflows/deploy-${plan.app.value}.yml`;
}

/** The bash of the deploy step: the deploy, then outputs and summary. */
export function describeDeployScript(input: WorkflowInput): string {
  const { plan } = input;
  const inMonorepo = plan.path !== '.';
  const args = ['deploy', '--json', '--progress json', '--image "$image"', '--cache-image "$image:build-cache"'];
  if (inMonorepo) args.push(`--path ${plan.path}`);
  const lines = [
    'set -uo pipefail',
    '# GHCR repository names must be lower case.',
    `image="ghcr.io/\${GITHUB_REPOSITORY,,}${inMonorepo ? `/${plan.app.value}` : ''}"`,
  ];
  if (plan.envNames.length) {
    // deploy reads the app's declared env names from its own environment (the step's env
    // below, from secrets). A secret that is not set arrives empty: unset it, so deploy
    // fails with CONFIG_ENV_MISSING naming it instead of deploying an empty value.
    lines.push(
      `for name in ${plan.envNames.join(' ')}; do`,
      '  if [ -z "${!name:-}" ]; then unset "$name"; fi',
      'done',
    );
  }
  lines.push(
    'result="$RUNNER_TEMP/bim-pack-result.json"',
    `npx --yes bim-pack@${input.version ?? VERSION} ${args.join(' ')} > "$result"`,
    'status=$?',
    `node --input-type=module -e '${SUMMARIZE_SCRIPT.trimEnd()}' "$result"`,
    'exit "$status"',
  );
  return `${lines.join('\n')}\n`;
}

/** The workflow as data (tests read it back and check this structure). */
export function describeWorkflow(input: WorkflowInput): Record<string, unknown> {
  const { plan } = input;
  const app = plan.app.value;
  const secretEnv = Object.fromEntries(plan.envNames.map((name) => [name, `\${{ secrets.${name} }}`]));
  return {
    name: `Deploy ${app}`,
    on: { push: { branches: [input.branch] }, workflow_dispatch: {} },
    permissions: { contents: 'read', packages: 'write' },
    // One deploy of this app at a time; a newer push waits instead of cancelling a deploy midway.
    concurrency: { group: `bim-pack-deploy-${app}`, 'cancel-in-progress': false },
    jobs: {
      deploy: {
        name: `Deploy ${app}`,
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 30,
        outputs: {
          url: '${{ steps.deploy.outputs.url }}',
          digest: '${{ steps.deploy.outputs.digest }}',
          revision: '${{ steps.deploy.outputs.revision }}',
        },
        steps: [
          { name: 'Check out', uses: ACTIONS.checkout },
          { name: 'Set up Node.js', uses: ACTIONS.setupNode, with: { 'node-version': '22' } },
          { name: 'Install pack', uses: ACTIONS.setupPack, with: { 'pack-version': PACK_VERSION } },
          {
            name: 'Log in to GitHub Container Registry',
            uses: ACTIONS.login,
            with: { registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' },
          },
          {
            name: 'Deploy with bim-pack',
            id: 'deploy',
            env: {
              BACKEND_IM_URL: input.targetUrl ?? '${{ secrets.BACKEND_IM_URL }}',
              BACKEND_IM_TOKEN: '${{ secrets.BACKEND_IM_TOKEN }}',
              GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
              ...secretEnv,
            },
            run: describeDeployScript(input),
          },
        ],
      },
    },
  };
}

/** The workflow file's text. */
export function renderWorkflow(input: WorkflowInput): string {
  const doc = new Document(describeWorkflow(input));
  const secrets = ['BACKEND_IM_TOKEN', ...(input.targetUrl ? [] : ['BACKEND_IM_URL']), ...input.plan.envNames];
  doc.commentBefore = [
    ` Deploys ${input.plan.app.value} to Backend.im with bim-pack on every push to ${input.branch}.`,
    ` Written by \`bim-pack init\`. Repository secrets it reads: ${secrets.join(', ')}.`,
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
