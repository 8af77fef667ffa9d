/**
 * What every secrets backend must do, as uvu tests on a suite; the file
 * store's and the Vault store's test files both run it.
 */
import * as assert from 'uvu/assert';
import type { Test } from 'uvu';
import type { SecretStore } from '../../server/src/services/secrets/secret-store.js';

/** Adds the contract's tests to `test`; `open` gives a fresh, empty store. */
export function secretStoreContract(test: Test, open: () => Promise<SecretStore>): void {
  test('put gives versions 1, 2, ...; get reads the latest or any kept version', async () => {
    const s = await open();
    const v1 = await s.put('app/db/password', Buffer.from('first'));
    const v2 = await s.put('app/db/password', Buffer.from([0, 255, 1, 2]));
    assert.is(v1.version, 1);
    assert.is(v2.version, 2);
    assert.ok(v2.createdUnixMs >= v1.createdUnixMs && v1.createdUnixMs > 0);
    assert.equal((await s.get('app/db/password')).value, Buffer.from([0, 255, 1, 2]));
    assert.is((await s.get('app/db/password')).meta.version, 2);
    assert.equal((await s.get('app/db/password', 1)).value.toString(), 'first');
  });

  test('missing secrets and versions are NotFoundError', async () => {
    const s = await open();
    await s.put('a/b', Buffer.from('x'));
    for (const p of [s.get('nope'), s.get('a/b', 7), s.get('a')]) {
      try {
        await p;
        assert.unreachable('must fail');
      } catch (err) {
        assert.is((err as Error).name, 'NotFoundError');
      }
    }
  });

  test('check-and-set: 0 creates only, n replaces only version n', async () => {
    const s = await open();
    assert.is((await s.put('cas/x', Buffer.from('a'), 0)).version, 1);
    for (const cas of [0, 2]) {
      try {
        await s.put('cas/x', Buffer.from('b'), cas);
        assert.unreachable('cas mismatch must fail');
      } catch (err) {
        assert.is((err as Error).name, 'PreconditionError');
        assert.not.match((err as Error).message, /\bb\b/);
      }
    }
    assert.is((await s.put('cas/x', Buffer.from('c'), 1)).version, 2);
  });

  test('list walks folders below a prefix, sorted; delete removes every version', async () => {
    const s = await open();
    for (const p of ['x/one', 'x/sub/two', 'x/sub/deeper/three', 'xy/other', 'top']) await s.put(p, Buffer.from(p));
    assert.equal(await s.list('x'), ['x/one', 'x/sub/deeper/three', 'x/sub/two']);
    assert.equal(await s.list('x/sub'), ['x/sub/deeper/three', 'x/sub/two']);
    assert.equal(await s.list(''), ['top', 'x/one', 'x/sub/deeper/three', 'x/sub/two', 'xy/other']);
    assert.equal(await s.list('top'), ['top']);
    assert.equal(await s.list('none'), []);
    assert.ok(await s.delete('x/one'));
    assert.not.ok(await s.delete('x/one'));
    assert.equal(await s.list('x'), ['x/sub/deeper/three', 'x/sub/two']);
    const again = await s.put('x/one', Buffer.from('new'));
    assert.is(again.version, 1);
  });

  // A store kept its secrets in a plain object: PutSecret 'valueOf' answered INTERNAL (found by grpc-fuzz-services, seed 790218).
  test('paths named like Object members are ordinary secrets', async () => {
    const s = await open();
    const names = ['valueOf', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    for (const name of names) {
      const missing = await s.get(name).then(() => 'found', (err: Error) => err.name);
      assert.is(missing, 'NotFoundError', name);
      assert.not.ok(await s.delete(name));
      assert.is((await s.put(name, Buffer.from(`v-${name}`), 0)).version, 1);
      assert.is((await s.put(name, Buffer.from(`w-${name}`))).version, 2);
    }
    for (const name of names) assert.equal((await s.get(name, 1)).value.toString(), `v-${name}`);
    assert.equal(await s.list(''), [...names].sort());
    assert.ok(await s.delete('__proto__'));
    assert.equal(await s.list(''), names.filter((n) => n !== '__proto__').sort());
  });
}
