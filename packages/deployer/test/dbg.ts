import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BimError } from '@bim-pack/shared';
test('x', async () => { throw new BimError('INTERNAL', 'boom'); });
test('y', async () => { assert.is(1, 2); });
test.run();
