/**
 * A batch thread (piscina, see batch.ts): runs one GenerateBatch's
 * sampling, scoring and selection (batch-select.ts) off the main thread.
 */
import { runBatch, type BatchOutcome, type BatchTask } from './batch-select.js';

export default function batch(task: BatchTask): BatchOutcome {
  return runBatch(task);
}
