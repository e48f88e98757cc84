/** The few Docker engine calls the builder makes for local (non-published) images. */
import { BimError } from '@bim-pack/shared';
import { runTool } from './exec.js';

/** The image id (sha256:…) of a local reference, or null when the engine does not have it. */
export async function localImageId(ref: string, signal?: AbortSignal): Promise<string | null> {
  const r = await runTool('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { signal, timeoutMs: 30_000 });
  if (r.exitCode === 0) return r.stdout.trim() || null;
  if (/No such image/i.test(r.stderr)) return null;
  throw new BimError('BUILD_DOCKER_UNAVAILABLE', `the Docker engine did not answer for ${ref}: ${r.stderr.split('\n')[0] ?? ''}`, {
    hint: 'start Docker (`sudo systemctl start docker`) or set DOCKER_HOST; check with `docker info`',
  });
}

/** Tags a local image with more references. */
export async function tagLocalImage(source: string, refs: string[], signal?: AbortSignal): Promise<void> {
  for (const ref of refs) {
    const r = await runTool('docker', ['tag', source, ref], { signal, timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw new BimError('BUILD_DOCKER_UNAVAILABLE', `docker tag ${ref} failed: ${r.stderr.split('\n')[0] ?? ''}`, { hint: 'check the engine with `docker info`' });
  }
}
