import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseImageName, commitTag, parseRemoteRepository, registryOf, repositoryOf, stripTag } from '@bim-pack/builder';

test('remotes: https, ssh and scp-style, with or without .git', () => {
  assert.equal(parseRemoteRepository('https://github.com/Acme/Shop.git'), { host: 'github.com', owner: 'Acme', repo: 'Shop' });
  assert.equal(parseRemoteRepository('git@github.com:Acme/Shop.git'), { host: 'github.com', owner: 'Acme', repo: 'Shop' });
  assert.equal(parseRemoteRepository('ssh://git@github.com:22/acme/shop'), { host: 'github.com', owner: 'acme', repo: 'shop' });
  assert.equal(parseRemoteRepository('https://x-access-token:abc@github.com/acme/shop/'), { host: 'github.com', owner: 'acme', repo: 'shop' });
  assert.is(parseRemoteRepository('/local/path'), null);
});

test('default image name: ghcr.io/<owner>/<repo>, lower-cased, /<app> in a monorepo', () => {
  assert.is(chooseImageName({ remoteUrl: 'git@github.com:Acme/My_Shop.git', app: 'web', inMonorepo: false }), 'ghcr.io/acme/my_shop');
  assert.is(chooseImageName({ remoteUrl: 'https://github.com/Acme/Mono', app: 'api', inMonorepo: true }), 'ghcr.io/acme/mono/api');
  assert.is(chooseImageName({ remoteUrl: null, githubRepository: 'Octo/Repo', app: 'a', inMonorepo: false }), 'ghcr.io/octo/repo');
});

test('flag beats project.toml beats the remote; a tag on the flag is dropped', () => {
  assert.is(chooseImageName({ flag: '127.0.0.1:5000/x/y:v1', projectToml: 'ghcr.io/a/b', remoteUrl: 'git@github.com:c/d', app: 'a', inMonorepo: false }), '127.0.0.1:5000/x/y');
  assert.is(chooseImageName({ projectToml: 'ghcr.io/a/b', remoteUrl: 'git@github.com:c/d', app: 'a', inMonorepo: false }), 'ghcr.io/a/b');
});

test('no way to name the image: BUILD_NO_IMAGE_NAME with a hint', () => {
  try {
    chooseImageName({ remoteUrl: null, app: 'a', inMonorepo: false });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'BUILD_NO_IMAGE_NAME');
    assert.match((error as { hint: string }).hint, /--image/);
  }
});

test('an upper-case --image is rejected', () => {
  assert.throws(() => chooseImageName({ flag: 'ghcr.io/Acme/Shop', remoteUrl: null, app: 'a', inMonorepo: false }), /not a valid/);
});

test('registry and repository of names', () => {
  assert.is(registryOf('ghcr.io/a/b'), 'ghcr.io');
  assert.is(registryOf('127.0.0.1:5000/a'), '127.0.0.1:5000');
  assert.is(registryOf('acme/shop'), 'docker.io');
  assert.is(repositoryOf('ghcr.io/a/b:v1'), 'a/b');
  assert.is(repositoryOf('nginx'), 'library/nginx');
  assert.is(stripTag('127.0.0.1:5000/a@sha256:00'), '127.0.0.1:5000/a');
});

test('commit tag with a dirty suffix', () => {
  const sha = 'a'.repeat(40);
  assert.is(commitTag(sha, false, 'f'.repeat(64)), sha);
  assert.is(commitTag(sha, true, '0123456789abcdef'), `${sha}-dirty-0123456789ab`);
  assert.is(commitTag(null, true, 'x'), null);
});

test.run();
