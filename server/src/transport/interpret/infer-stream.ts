/**
 * InterpretService/InferStream: Infer for each request of the stream, up
 * to WINDOW of them at once on the inference pool, answered in the order
 * they were asked (as PlanStream answers). A request that fails (a bad
 * tensor, an unknown model) is an error answer with its index, and the
 * stream goes on; reading pauses while WINDOW answers wait, so a fast
 * client cannot queue without bound.
 */
import { setMaxListeners } from 'node:events';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { InferStreamRequest, InferStreamResponse } from '../../../../gen/ts/aria/interpret/v1/interpret.js';
import { CallAbortedError, InvalidArgumentError } from '../../core/errors.js';
import type { InterpretService } from '../../services/interpret/index.js';
import { bidiStream, decoded, type ServerContext } from '../handler.js';
import { answerInOrder } from '../ordered-answers.js';
import { mapError, type MalformedMessageError } from '../status-mapping.js';
import { tensorFromWire, tensorToWire } from './tensor-codec.js';

/** Requests in flight at most. */
const WINDOW = 32;

type Stream = ServerDuplexStream<InferStreamRequest | MalformedMessageError, InferStreamResponse>;

/** The InferStream handler. */
export function inferStreamHandler(ctx: ServerContext, service: InterpretService) {
  return bidiStream<InferStreamRequest, InferStreamResponse>(ctx, 'InferStream', (stream: Stream, call) => {
    // Each request in flight adds an abort listener to the call's signal.
    setMaxListeners(WINDOW + 16, call.signal);
    return answerInOrder(stream, call.signal, WINDOW, (i, message) => answer(service, message, i, call.signal).catch(
      (err: unknown): InferStreamResponse | CallAbortedError => {
        if (err instanceof CallAbortedError) return err;
        return { index: i, result: { $case: 'error', error: mapError(err, ctx.log, { method: 'InferStream', index: i }).detail } };
      },
    ));
  }, { requirePrincipal: true });
}

async function answer(service: InterpretService, message: InferStreamRequest | MalformedMessageError, index: number, signal: AbortSignal): Promise<InferStreamResponse> {
  const req = decoded(message).request;
  if (!req) throw new InvalidArgumentError('request', 'each message carries one InferRequest');
  const inputs = req.inputs.map((t, j) => tensorFromWire(t, `inputs[${j}]`));
  const r = await service.infer(req.name, req.version, inputs, signal);
  return { index, result: { $case: 'response', response: { version: r.model.version, outputs: r.outputs.map(tensorToWire) } } };
}
