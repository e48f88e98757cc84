/**
 * Secret hygiene: looks for known secret values in an image's config (env, labels) and in the
 * app's own layers (those above the run image), streamed as tar from a registry or `docker save`.
 */
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { BimError } from '@bim-pack/shared';
import { runTool, spawnStream } from './exec.js';
import type { RegistryClient } from './registry-client.js';

/** A secret to look for: its name (reported) and value (never reported). */
export interface SecretValue {
  key: string;
  value: string;
}

/** Where a secret was found. */
export interface SecretHit {
  key: string;
  /** A file path in a layer, or "config env NAME" / "config label NAME". */
  file: string;
  layer?: string;
}

/** Values shorter than this are not searched: they would match everywhere (ports, "true"). */
export const MIN_SECRET_LENGTH = 8;

const usable = (secrets: SecretValue[]) => secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);

/** Image config fields we read. */
interface ImageConfig {
  env: string[];
  labels: Record<string, string>;
  diffIds: string[];
}

/** Hits in the config: an env value or label that contains a secret. */
export function scanConfig(config: ImageConfig, secrets: SecretValue[]): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const s of usable(secrets)) {
    for (const entry of config.env) if (entry.includes(s.value)) hits.push({ key: s.key, file: `config env ${entry.split('=')[0]}` });
    for (const [name, value] of Object.entries(config.labels)) if (value.includes(s.value) || name.includes(s.value)) hits.push({ key: s.key, file: `config label ${name}` });
  }
  return hits;
}

/** The diff IDs of the app's own layers: those above the run image's top layer (from the lifecycle label). */
export function appLayerIds(config: ImageConfig): string[] {
  const raw = config.labels['io.buildpacks.lifecycle.metadata'];
  let top: string | undefined;
  try {
    top = raw ? (JSON.parse(raw) as { runImage?: { topLayer?: string } }).runImage?.topLayer : undefined;
  } catch {
    top = undefined;
  }
  const index = top ? config.diffIds.indexOf(top) : -1;
  // Without the label every layer is the app's: scanning too much is safer than too little.
  return index >= 0 ? config.diffIds.slice(index + 1) : [...config.diffIds];
}

/** Scans one layer tar (gzip or plain) and reports files containing a secret. */
export async function scanLayerStream(stream: NodeJS.ReadableStream, secrets: SecretValue[], layer: string): Promise<SecretHit[]> {
  const wanted = usable(secrets).map((s) => ({ key: s.key, needle: Buffer.from(s.value) }));
  const keep = Math.max(0, ...wanted.map((w) => w.needle.length)) - 1;
  const hits: SecretHit[] = [];
  const ex = extract();
  ex.on('entry', (headerInfo, entry, next) => {
    const found = new Set<string>();
    let carry = Buffer.alloc(0);
    entry.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      for (const w of wanted) if (!found.has(w.key) && buf.indexOf(w.needle) >= 0) found.add(w.key);
      carry = keep > 0 ? Buffer.from(buf.subarray(Math.max(0, buf.length - keep))) : Buffer.alloc(0);
    });
    entry.on('end', () => {
      for (const key of found) hits.push({ key, file: `/${headerInfo.name.replace(/^\.?\//, '')}`, layer });
      next();
    });
    entry.resume();
  });
  const source = await maybeGunzip(stream);
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
    source.on('error', reject);
    source.pipe(ex);
  });
  return hits;
}

/** Peeks at the first bytes and inserts gunzip for gzip layers (registry blobs usually are). */
async function maybeGunzip(stream: NodeJS.ReadableStream): Promise<Readable> {
  const pass = new PassThrough();
  const first: Buffer = await new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => { stream.removeListener('error', reject); stream.pause(); resolve(chunk); };
    stream.once('data', onData);
    stream.once('end', () => resolve(Buffer.alloc(0)));
    stream.once('error', reject);
  });
  pass.write(first);
  stream.pipe(pass);
  stream.resume();
  return first[0] === 0x1f && first[1] === 0x8b ? pass.pipe(createGunzip()) : pass;
}

/** Scans an image in a registry by digest. */
export async function scanRegistryImage(client: RegistryClient, repo: string, digest: string, secrets: SecretValue[]): Promise<SecretHit[]> {
  if (!usable(secrets).length) return [];
  let manifest = JSON.parse((await client.getManifest(repo, digest)).body.toString('utf8')) as Manifest;
  if (manifest.manifests) {
    const pick = manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64') ?? manifest.manifests[0];
    if (!pick) return [];
    manifest = JSON.parse((await client.getManifest(repo, pick.digest)).body.toString('utf8')) as Manifest;
  }
  const configJson = JSON.parse(await streamToString(await client.getBlob(repo, manifest.config!.digest))) as RawConfig;
  const config = toImageConfig(configJson);
  const hits = scanConfig(config, secrets);
  const app = new Set(appLayerIds(config));
  const layers = manifest.layers ?? [];
  for (let i = 0; i < layers.length; i++) {
    if (!app.has(config.diffIds[i] ?? '')) continue;
    hits.push(...(await scanLayerStream(await client.getBlob(repo, layers[i]!.digest), secrets, layers[i]!.digest)));
  }
  return hits;
}

/** Scans an image in the local Docker engine (`docker image inspect`, then a streamed `docker save`). */
export async function scanEngineImage(imageId: string, secrets: SecretValue[], signal?: AbortSignal): Promise<SecretHit[]> {
  if (!usable(secrets).length) return [];
  const inspect = await runTool('docker', ['image', 'inspect', imageId], { signal });
  if (inspect.exitCode !== 0) throw new BimError('BUILD_DOCKER_UNAVAILABLE', `cannot inspect image ${imageId}: ${inspect.stderr.split('\n')[0]}`, { hint: 'check the engine with `docker info`' });
  const [info] = JSON.parse(inspect.stdout) as Array<{ Config?: { Env?: string[]; Labels?: Record<string, string> | null }; RootFS?: { Layers?: string[] } }>;
  const config: ImageConfig = { env: info?.Config?.Env ?? [], labels: info?.Config?.Labels ?? {}, diffIds: info?.RootFS?.Layers ?? [] };
  const hits = scanConfig(config, secrets);
  const app = new Set(appLayerIds(config));
  const save = spawnStream('docker', ['save', imageId], { signal });
  const layerHits: SecretHit[] = [];
  const outer = extract();
  outer.on('entry', (headerInfo, entry, next) => {
    const isLayer = /(^|\/)layer\.tar$/.test(headerInfo.name) || (/^blobs\/sha256\/[0-9a-f]{64}$/.test(headerInfo.name) && headerInfo.size! > 1024);
    if (!isLayer) { entry.on('end', next); entry.resume(); return; }
    // The diff ID of an uncompressed layer is the sha256 of its tar: hash while scanning, keep app layers only.
    const hash = createHash('sha256');
    const tee = new PassThrough();
    entry.on('data', (data: unknown) => { hash.update(data as Buffer); });
    entry.pipe(tee);
    scanLayerStream(tee, secrets, headerInfo.name)
      .then((found) => {
        const diffId = `sha256:${hash.digest('hex')}`;
        if (app.has(diffId)) layerHits.push(...found.map((h) => ({ ...h, layer: diffId })));
      }, () => { tee.resume(); })
      .finally(next);
  });
  await new Promise<void>((resolve, reject) => {
    outer.on('finish', resolve);
    outer.on('error', reject);
    save.stdout.pipe(outer);
  });
  const done = await save.done;
  if (done.exitCode !== 0) throw new BimError('BUILD_DOCKER_UNAVAILABLE', `docker save ${imageId} failed: ${done.stderr.split('\n')[0]}`, { hint: 'check the engine with `docker info`' });
  return [...hits, ...layerHits];
}

/** Throws BUILD_SECRET_IN_IMAGE for the first hit: names the key and file, never the value. */
export function assertNoSecrets(hits: SecretHit[], image: string): void {
  const first = hits[0];
  if (!first) return;
  throw new BimError('BUILD_SECRET_IN_IMAGE', `the secret ${first.key} is in the image ${image} (${first.file})${hits.length > 1 ? ` and ${hits.length - 1} more place(s)` : ''}`, {
    hint: `keep ${first.key} out of the build: add the file to .gitignore or project.toml [io.buildpacks] exclude, pass it at deploy time instead, and rotate the secret`,
    details: { hits: hits.map((h) => ({ key: h.key, file: h.file, layer: h.layer })) },
  });
}

interface Manifest {
  manifests?: Array<{ digest: string; platform?: { os?: string; architecture?: string } }>;
  config?: { digest: string };
  layers?: Array<{ digest: string }>;
}
interface RawConfig {
  config?: { Env?: string[]; Labels?: Record<string, string> | null };
  rootfs?: { diff_ids?: string[] };
}

function toImageConfig(raw: RawConfig): ImageConfig {
  return { env: raw.config?.Env ?? [], labels: raw.config?.Labels ?? {}, diffIds: raw.rootfs?.diff_ids ?? [] };
}

async function streamToString(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
