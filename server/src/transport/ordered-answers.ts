/**
 * The answering loop of a bidirectional stream whose every request gets one
 * answer (PlanStream, InferStream): requests are answered concurrently, up
 * to `window` at once (reading pauses beyond it), and the answers are
 * written in request order whatever order they finish in. The promise
 * settles when the client has ended and every answer is written, or with
 * the abort (cancel, deadline, shutdown) that ends the stream.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { CallAbortedError } from '../core/errors.js';

/**
 * Runs the loop. `answer` must not reject: a failed request is an answer of
 * its own, an abort comes back as a CallAbortedError value (the promise may
 * wait in the chain unobserved).
 */
export function answerInOrder<Req, Res>(
  stream: ServerDuplexStream<Req, Res>,
  signal: AbortSignal,
  window: number,
  answer: (index: number, message: Req) => Promise<Res | CallAbortedError>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let received = 0, inFlight = 0, clientDone = false, finished = false;
    // Answers are written by this chain, so they leave in request order whatever order they finish in.
    let tail: Promise<void> = Promise.resolve();
    const finish = (err?: unknown): void => {
      if (finished) return;
      finished = true;
      if (err === undefined) resolve(); else reject(err);
    };
    stream.on('data', (message: Req) => {
      if (finished) return;
      const pending = answer(received++, message);
      inFlight++;
      if (inFlight >= window) stream.pause();
      tail = tail.then(() => pending).then((a) => {
        inFlight--;
        if (a instanceof CallAbortedError) return finish(a);
        if (finished) return;
        stream.write(a);
        if (stream.isPaused() && inFlight < window) stream.resume();
        if (clientDone && inFlight === 0) finish();
      }).catch((err: unknown) => finish(err));
    });
    stream.on('end', () => {
      clientDone = true;
      tail = tail.then(() => { if (inFlight === 0) finish(); });
    });
    stream.on('error', () => finish(new CallAbortedError('cancelled')));
    signal.addEventListener('abort', () => finish(signal.reason), { once: true });
  });
}
