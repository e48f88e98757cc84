import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BimError, EXIT, ERROR_CODES, exitCodeOf, isBimError } from '@bim-pack/shared';

test('every error code maps to a documented exit code', () => {
  for (const [code, klass] of Object.entries(ERROR_CODES)) {
    assert.type(EXIT[klass], 'number', code);
  }
});

test('exit code follows the class of the code', () => {
  assert.is(new BimError('TESTS_FAILED', 'x').exitCode, EXIT.tests);
  assert.is(exitCodeOf(new BimError('BUILD_PACK_MISSING', 'x')), EXIT.build);
  assert.is(exitCodeOf(new Error('boom')), EXIT.internal);
});

test('isBimError recognises a copy by its brand', () => {
  const copy = Object.assign(new Error('x'), { name: 'BimError', code: 'DETECT_NO_APP' });
  assert.ok(isBimError(copy));
  assert.not.ok(isBimError(new Error('x')));
});

test.run();
