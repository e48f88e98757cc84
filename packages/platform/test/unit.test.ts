import { tmpdir } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CHECK_HOST, defaultRunDir, describeContainer, describeNginxCommand, formatSseEvent, LineSplitter, LogDemuxer, parseListeningPorts, registryAuthHeader,
  renderFrontConfig, renderNginxConfig, splitTimestamp,
} from '@bim-pack/platform';

const frame = (stream: 1 | 2, text: string) => {
  const data = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
};

test('describeContainer: env + PORT, labels, memory, no-new-privileges, loopback port, no restart while booting', () => {
  const digest = `sha256:${'b'.repeat(64)}`;
  const { name, body } = describeContainer({
    app: 'shop', revision: 'r2', deploymentId: 'dep_x', image: `127.0.0.1:5000/shop@${digest}`, imageId: `sha256:${'c'.repeat(64)}`,
    env: { A: '1' }, secretEnv: [], port: 3000, replicas: 1, memoryBytes: 256 * 1024 * 1024,
  }, 'p1a2b3');
  assert.is(name, 'bim-p1a2b3-shop-r2');
  assert.equal(body, {
    Image: `sha256:${'c'.repeat(64)}`,
    Env: ['A=1', 'PORT=3000'],
    Labels: {
      'im.backend.platform': 'p1a2b3', 'im.backend.app': 'shop', 'im.backend.revision': 'r2', 'im.backend.deployment': 'dep_x',
      'im.backend.image': `127.0.0.1:5000/shop@${digest}`, 'im.backend.digest': digest, 'im.backend.port': '3000',
    },
    ExposedPorts: { '3000/tcp': {} },
    HostConfig: {
      PortBindings: { '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      Memory: 268435456,
      SecurityOpt: ['no-new-privileges'],
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
    },
  });
});

test('registryAuthHeader: credentials only for the image\'s own registry host', () => {
  const auth = { '127.0.0.1:5000': { username: 'u', password: 'p' } };
  const header = registryAuthHeader(`127.0.0.1:5000/shop@sha256:${'a'.repeat(64)}`, auth)!;
  assert.ok(header.length % 4 === 0, 'padded');
  assert.equal(JSON.parse(Buffer.from(header, 'base64url').toString()), { username: 'u', password: 'p', serveraddress: '127.0.0.1:5000' });
  assert.is(registryAuthHeader(`ghcr.io/acme/shop@sha256:${'a'.repeat(64)}`, auth), undefined);
  assert.is(registryAuthHeader(`shop@sha256:${'a'.repeat(64)}`, auth), undefined);
});

test('renderNginxConfig: one upstream and unix-socket server per app, sorted; bad names never rendered', () => {
  const layout = { prefix: '/data/nginx', listenHost: '127.0.0.1', listenPort: 7080, domain: 'localhost' };
  const text = renderNginxConfig(
    [{ app: 'web-2', upstream: { host: '127.0.0.1', port: 32001 } }, { app: 'api', upstream: { host: '127.0.0.1', port: 32000 } }], layout,
  );
  assert.ok(text.includes('pid /data/nginx/nginx.pid;'));
  assert.equal([...text.matchAll(/listen (\S+);/g)].map((m) => m[1]), ['unix:/data/nginx/run/_check.sock', 'unix:/data/nginx/run/api.sock', 'unix:/data/nginx/run/web-2.sock']);
  assert.ok(text.includes('upstream app_web_2 {\n    server 127.0.0.1:32001 max_fails=0;'));
  assert.throws(() => renderNginxConfig([{ app: 'x; evil', upstream: { host: '127.0.0.1', port: 1 } }], layout));
  const front = renderFrontConfig(layout);
  assert.ok(front.includes('pid /data/nginx/front/nginx.pid;'));
  assert.equal([...front.matchAll(/listen (\S+?)( default_server)?;/g)].map((m) => m[0]), ['listen 127.0.0.1:7080 default_server;', 'listen 127.0.0.1:7080;', 'listen 127.0.0.1:7080;']);
  assert.ok(front.includes('server_name "~^(?<app>[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)\\.localhost$";'));
  assert.ok(front.includes('proxy_pass http://unix:/data/nginx/run/$app.sock:;'));
});

test('nginx configs with a run dir: app sockets, the check socket and both instances\' temp files there; nothing else', () => {
  const layout = { prefix: '/data/nginx', runDir: '/run/bim-pack/0123456789abcdef', listenHost: '127.0.0.1', listenPort: 7080, domain: 'localhost' };
  const back = renderNginxConfig([{ app: 'api', upstream: { host: '127.0.0.1', port: 32000 } }], layout);
  assert.equal([...back.matchAll(/listen (\S+);/g)].map((m) => m[1]), ['unix:/run/bim-pack/0123456789abcdef/_check.sock', 'unix:/run/bim-pack/0123456789abcdef/api.sock']);
  assert.ok(back.includes('client_body_temp_path /run/bim-pack/0123456789abcdef/tmp/body;'));
  assert.ok(back.includes('pid /data/nginx/nginx.pid;'));
  const front = renderFrontConfig(layout);
  assert.ok(front.includes('proxy_pass http://unix:/run/bim-pack/0123456789abcdef/$app.sock:;'));
  assert.ok(front.includes(`server_name ${CHECK_HOST};`));
  assert.ok(front.includes('proxy_pass http://unix:/run/bim-pack/0123456789abcdef/_check.sock:;'));
  assert.ok(front.includes('client_body_temp_path /run/bim-pack/0123456789abcdef/front-tmp/body;'));
  assert.not.match(front, /\/data\/nginx\/(run|tmp|front\/tmp)/);
  assert.ok(!CHECK_HOST.endsWith('.localhost'), 'the check host never names an app');
});

test('defaultRunDir: per data dir, stable, short; /run for root, XDG_RUNTIME_DIR or tmpdir for others', () => {
  const root = defaultRunDir('/root/.bim-pack/platform', 0, {});
  assert.match(root, /^\/run\/bim-pack\/[0-9a-f]{16}$/);
  assert.is(defaultRunDir('/root/.bim-pack/platform/', 0, {}), root, 'the same dir, however it is spelled');
  assert.is.not(defaultRunDir('/srv/other', 0, {}), root);
  assert.match(defaultRunDir('/home/ann/.bim-pack/platform', 1000, { XDG_RUNTIME_DIR: '/run/user/1000' }), /^\/run\/user\/1000\/bim-pack\/[0-9a-f]{16}$/);
  assert.match(defaultRunDir('/home/ann/.bim-pack/platform', 1000, {}), new RegExp(`^${tmpdir()}/bim-pack-1000/[0-9a-f]{16}$`));
  // sun_path holds 107 bytes: the longest app name's socket still fits.
  assert.ok(`${root}/${'a'.repeat(63)}.sock`.length <= 107);
});

test('describeNginxCommand: own prefix and config, argument arrays', () => {
  assert.equal(describeNginxCommand('/usr/sbin/nginx', '/d/nginx', '/d/nginx/nginx.conf.next', 'test'),
    ['/usr/sbin/nginx', '-p', '/d/nginx', '-c', '/d/nginx/nginx.conf.next', '-t', '-q']);
  assert.equal(describeNginxCommand('/usr/sbin/nginx', '/d/nginx', '/d/nginx/nginx.conf', 'reload'),
    ['/usr/sbin/nginx', '-p', '/d/nginx', '-c', '/d/nginx/nginx.conf', '-s', 'reload']);
});

test('log demultiplexing: frames split across chunks, streams kept apart, partial lines held', () => {
  const bytes = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err\n'), frame(1, 'o\n'), frame(1, 'tail')]);
  const demuxer = new LogDemuxer();
  const splitter = new LineSplitter();
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 5) {
    for (const f of demuxer.push(bytes.subarray(i, i + 5))) for (const line of splitter.push(f)) out.push(`${f.stream}:${line}`);
  }
  assert.equal(out, ['stdout:one', 'stderr:err', 'stdout:two']);
  assert.equal(splitter.flush(), [{ stream: 'stdout', line: 'tail' }]);
  assert.equal(splitTimestamp('2026-01-02T03:04:05.123456789Z hello world'), { timestamp: '2026-01-02T03:04:05.123Z', line: 'hello world' });
  assert.equal(splitTimestamp('no stamp'), { timestamp: null, line: 'no stamp' });
});

test('parseListeningPorts: LISTEN rows of /proc/net/tcp and tcp6', () => {
  const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 0100007F:2382 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0`;
  const tcp6 = `  sl  local_address                         remote_address                        st
   0: 00000000000000000000000000000000:2382 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000`;
  assert.equal(parseListeningPorts(tcp, tcp6), [8080, 9090]);
  assert.equal(parseListeningPorts(''), []);
});

test('formatSseEvent: id, event name and JSON data', () => {
  const event = { seq: 3, deploymentId: 'dep_aaaaaaaaaaaaaaaaaaaa', name: 'live' as const, timestamp: '2026-01-01T00:00:00.000Z', message: 'ok' };
  assert.is(formatSseEvent(event), `id: 3\nevent: live\ndata: ${JSON.stringify(event)}\n\n`);
});

test.run();
