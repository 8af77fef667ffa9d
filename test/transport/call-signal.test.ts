/**
 * The per-call signal: made only when asked for, yet it says the same
 * thing as one made at the start (which of deadline, cancellation and
 * shutdown ended the call), and it lets nothing dangle after dispose.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import { callSignal } from '../../server/src/transport/call-signal.js';
import { abortReason } from '../../server/src/core/signals.js';
import { CallAbortedError } from '../../server/src/core/errors.js';

class FakeCall extends EventEmitter {
  cancelled = false;
  constructor(private readonly deadline: number = Infinity) {
    super();
  }
  getDeadline(): number {
    return this.deadline;
  }
  cancel(): void {
    this.cancelled = true;
    this.emit('cancelled');
  }
}

const kindOf = (s: AbortSignal) => (abortReason(s) as CallAbortedError).kind;

test('a call that never asks for its signal registers nothing and creates no timer', () => {
  const call = new FakeCall(Date.now() + 60_000);
  const shutdown = new AbortController();
  const cs = callSignal(call, shutdown.signal);
  assert.is(cs.aborted, false);
  assert.is(call.listenerCount('cancelled'), 0);
  cs.dispose();
  assert.is(call.listenerCount('cancelled'), 0);
});

test('the signal, once made, aborts on cancellation and unwires itself', () => {
  const call = new FakeCall();
  const cs = callSignal(call, new AbortController().signal);
  const signal = cs.signal;
  assert.is(cs.signal, signal, 'one signal per call');
  assert.is(call.listenerCount('cancelled'), 1);
  call.cancel();
  assert.ok(signal.aborted);
  assert.is(kindOf(signal), 'cancelled');
  assert.is(call.listenerCount('cancelled'), 0);
});

test('a signal made after the call ended is already aborted, with the right reason', () => {
  const cancelled = new FakeCall();
  const a = callSignal(cancelled, new AbortController().signal);
  cancelled.cancel();
  assert.ok(a.aborted, 'aborted is known without making the signal');
  assert.is(kindOf(a.signal), 'cancelled');

  const shutdown = new AbortController();
  const b = callSignal(new FakeCall(), shutdown.signal);
  shutdown.abort();
  assert.ok(b.aborted);
  assert.is(kindOf(b.signal), 'shutdown');

  const late = callSignal(new FakeCall(Date.now() - 1), new AbortController().signal);
  assert.ok(late.aborted);
  assert.is(kindOf(late.signal), 'deadline');
});

test('the deadline aborts a made signal by itself', async () => {
  const cs = callSignal(new FakeCall(Date.now() + 30), new AbortController().signal);
  const signal = cs.signal;
  assert.is(signal.aborted, false);
  await new Promise((r) => setTimeout(r, 80));
  assert.ok(signal.aborted);
  assert.is(kindOf(signal), 'deadline');
});

test('shutdown reaches a made signal; dispose before it leaves the signal alone', () => {
  const shutdown = new AbortController();
  const live = callSignal(new FakeCall(), shutdown.signal);
  const done = callSignal(new FakeCall(), shutdown.signal);
  const liveSignal = live.signal;
  const doneSignal = done.signal;
  done.dispose();
  shutdown.abort();
  assert.is(kindOf(liveSignal), 'shutdown');
  assert.is(doneSignal.aborted, false);
});

test.run();
