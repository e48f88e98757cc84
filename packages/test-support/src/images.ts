/**
 * Small runnable base images made locally (nothing can be pulled here):
 * busybox httpd for static sites and the host's own node binary for Node apps.
 */
import { cp, mkdir, mkdtemp, rm, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { docker } from './docker.js';

export const BUSYBOX_IMAGE = 'bim-pack-test/busybox:1';
export const NODE_IMAGE = 'bim-pack-test/node:1';

async function imageExists(ref: string): Promise<boolean> {
  const r = await execa('docker', ['image', 'inspect', ref], { reject: false });
  return r.exitCode === 0;
}

async function importDir(dir: string, ref: string, changes: string[]): Promise<void> {
  const tar = execa('tar', ['-C', dir, '-c', '.'], { encoding: 'buffer', maxBuffer: 1e9 });
  const { stdout } = await tar;
  await docker(['import', ...changes.flatMap((c) => ['-c', c]), '-', ref], { input: Buffer.from(stdout) });
}

/** Shared libraries node needs, as listed by ldd. */
async function nodeLibraries(nodePath: string): Promise<string[]> {
  const { stdout } = await execa('ldd', [nodePath]);
  return [...stdout.matchAll(/(\/[^\s]+) \(0x/g)].map((m) => m[1]!).filter((p) => p.startsWith('/'));
}

/** Creates the busybox and node base images once per engine (idempotent). */
export async function ensureBaseImages(): Promise<{ busybox: string; node: string }> {
  if (!(await imageExists(BUSYBOX_IMAGE))) {
    const dir = await mkdtemp(join(tmpdir(), 'bim-busybox-'));
    try {
      await mkdir(join(dir, 'bin'), { recursive: true });
      await mkdir(join(dir, 'www'), { recursive: true });
      await mkdir(join(dir, 'tmp'), { recursive: true });
      await copyFile('/bin/busybox', join(dir, 'bin/busybox'));
      for (const tool of ['sh', 'httpd', 'cat', 'ls', 'sleep', 'echo', 'wget', 'env']) {
        await execa('ln', ['-s', 'busybox', join(dir, 'bin', tool)]);
      }
      await importDir(dir, BUSYBOX_IMAGE, ['ENV PATH=/bin', 'ENV PORT=8080', 'CMD ["/bin/sh","-c","httpd -f -p ${PORT} -h /www"]']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (!(await imageExists(NODE_IMAGE))) {
    const dir = await mkdtemp(join(tmpdir(), 'bim-node-'));
    try {
      const nodePath = (await execa('sh', ['-c', 'readlink -f "$(command -v node)"'])).stdout.trim();
      await mkdir(join(dir, 'usr/bin'), { recursive: true });
      await copyFile(nodePath, join(dir, 'usr/bin/node'));
      for (const lib of await nodeLibraries(nodePath)) {
        const real = (await execa('readlink', ['-f', lib])).stdout.trim();
        await mkdir(join(dir, dirname(lib)), { recursive: true });
        await copyFile(real, join(dir, lib));
      }
      await mkdir(join(dir, 'tmp'), { recursive: true });
      await mkdir(join(dir, 'bin'), { recursive: true });
      await copyFile('/bin/busybox', join(dir, 'bin/busybox'));
      await execa('ln', ['-s', 'busybox', join(dir, 'bin/sh')]);
      await importDir(dir, NODE_IMAGE, ['ENV PATH=/usr/bin:/bin', 'ENV PORT=8080', 'WORKDIR /app', 'CMD ["node","server.js"]']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { busybox: BUSYBOX_IMAGE, node: NODE_IMAGE };
}

/**
 * Makes an app image: base image + the files of appDir under /app (or /www for busybox),
 * with the given CMD and env. Built with create/cp/commit: no Dockerfile.
 */
export async function makeAppImage(options: {
  base: 'busybox' | 'node';
  appDir: string;
  ref: string;
  cmd?: string[];
  env?: Record<string, string>;
  labels?: Record<string, string>;
}): Promise<string> {
  const bases = await ensureBaseImages();
  const base = options.base === 'busybox' ? bases.busybox : bases.node;
  const target = options.base === 'busybox' ? '/www' : '/app';
  const container = (await docker(['create', base])).trim();
  try {
    const staging = await mkdtemp(join(tmpdir(), 'bim-app-'));
    try {
      await cp(options.appDir, staging, { recursive: true });
      await docker(['cp', `${staging}/.`, `${container}:${target}`]);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    const changes: string[] = [];
    if (options.cmd) changes.push(`CMD ${JSON.stringify(options.cmd)}`);
    for (const [k, v] of Object.entries(options.env ?? {})) changes.push(`ENV ${k}=${v}`);
    for (const [k, v] of Object.entries(options.labels ?? {})) changes.push(`LABEL ${k}=${JSON.stringify(v)}`);
    return (await docker(['commit', ...changes.flatMap((c) => ['--change', c]), container, options.ref])).trim();
  } finally {
    await docker(['rm', '-f', container]);
  }
}
