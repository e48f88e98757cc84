/**
 * `.claude/commands/deploy.md`: the Claude Code project slash command `/deploy`. `bim-pack init`
 * writes it into apps; this repo commits the same text at its root (a test keeps them equal).
 * Format: Markdown with YAML frontmatter (description, argument-hint, allowed-tools); `$ARGUMENTS`
 * is replaced by what follows `/deploy`.
 */

/** Where the command lives, relative to the repo root. */
export const CLAUDE_COMMAND_PATH = '.claude/commands/deploy.md';

/** The file's text. */
export const CLAUDE_COMMAND = `---
description: Deploy this app with bim-pack (tests, build, deploy, smoke test) and act on the result
argument-hint: "[bim-pack deploy flags, e.g. --target local or --path apps/api]"
allowed-tools: Bash(bim-pack deploy:*), Bash(bim-pack status:*), Bash(bim-pack logs:*), Bash(bim-pack doctor:*), Bash(bim-pack detect:*), Bash(npx --yes bim-pack:*), Read, Grep, Glob
---

Deploy this app to Backend.im with bim-pack and report the outcome.

1. Run \`bim-pack deploy --json $ARGUMENTS\` in the repository root (if \`bim-pack\` is not on PATH, run
   \`npx --yes bim-pack deploy --json $ARGUMENTS\`). stdout is exactly one JSON document; progress goes to stderr.
2. Read the document. \`"ok": true\` means the app is live and smoke-tested: tell the user the \`url\`, the
   \`deployment.revision\` and the image \`image.ref\`, and stop.
3. \`"ok": false\`: act on \`error.code\` as below. Always show the user \`error.message\` and \`error.hint\`.
   \`error.stage\` says which stage failed. Never print, log or commit secret values; env values are never
   in the document, only names.

| error.code | What to do |
| --- | --- |
| CONFIG_ENV_MISSING | \`error.missing\` lists env names the app needs. Ask the user for each value (do not invent any). Put them in \`.env\` (never committed) or let the user export them, then run the deploy again. |
| CONFIG_NO_TARGET | Ask the user where to deploy: \`--target local\` (this machine's platform) or a Backend.im URL (\`BACKEND_IM_URL\`). Then run again with that flag. |
| CONFIG_TOKEN_MISSING, DEPLOY_UNAUTHORIZED | The Backend.im token is missing or wrong. Ask the user to set \`BACKEND_IM_TOKEN\` in their shell; never ask them to paste it into the chat. Check with \`bim-pack doctor --json\`. |
| CONFIG_PROJECT_TOML_INVALID, CONFIG_ENV_FILE_INVALID | The message lists file:line and what is wrong. Fix those lines, then run again. |
| USAGE_BAD_FLAG | A flag is wrong. Fix the command line (\`bim-pack deploy --help\`). |
| DETECT_AMBIGUOUS_ROOT, DETECT_APP_NOT_FOUND | A monorepo: \`error.candidates\` lists the apps. Ask the user which one, then run again with \`--path <folder>\`. |
| DETECT_NO_APP, BUILD_NO_BUILDPACK_DETECTED | No app was recognised. Run \`bim-pack detect --json\` and read the plan's evidence and warnings; add the missing start command or manifest the hint names. |
| TESTS_FAILED | The app's own tests failed before anything was built. Read the failing test output, fix the code (not the test, unless the test is wrong), run the tests locally, then deploy again. Use \`--skip-tests\` only when the user asks for it. |
| BUILD_PACK_MISSING, BUILD_PACK_TOO_OLD | pack (Cloud Native Buildpacks) is missing or too old. Tell the user the install command in \`error.hint\`; do not install system software without asking. |
| BUILD_DOCKER_UNAVAILABLE | The Docker engine is not reachable. Ask the user to start Docker; check with \`bim-pack doctor --json\`. |
| BUILD_PACK_FAILED, BUILD_BUILDER_UNTRUSTED | Read \`error.message\` (the last lines of pack's output). Fix the app's build (dependencies, build script, runtime version) and run again. |
| BUILD_SECRET_IN_IMAGE | A secret value was found in the image. Remove the file that holds it from the build (\`exclude\` under \`[io.buildpacks]\` in project.toml) and run again. |
| PUBLISH_REGISTRY_DENIED, PUBLISH_REGISTRY_UNREACHABLE | The image registry refused or did not answer. Ask the user to log in (\`docker login ghcr.io\` or \`GITHUB_TOKEN\`); check with \`bim-pack doctor --json\`. |
| DEPLOY_FAILED | The new revision did not become live (\`error.failure\` says how: exited on boot, wrong port, health check timed out). Read the logs with \`bim-pack logs --json\`, fix the app (start command, PORT, health-check path in project.toml), then deploy again. |
| SMOKE_FAILED | The app went live but a smoke check failed, so bim-pack rolled back to the previous revision. Read \`bim-pack logs --json\` and the failing check in the message, fix the app, then deploy again. |
| DEPLOY_CONFLICT | Another deployment of this app is running. Wait, check \`bim-pack status --json\`, then run again. |
| API_UNREACHABLE | Contact with Backend.im was lost; the deployment may still finish. Do not deploy again blindly: run \`bim-pack status --json\` and report what it says. |
| INTERRUPTED | The run was stopped. Ask the user before running it again. |
| anything else | Show the message and hint to the user and ask how to proceed. |

After fixing something, deploy again at most twice on your own; then stop and ask the user.
`;
