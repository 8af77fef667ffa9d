/** The face of queue: everything other folders may use. */
export { startQueueWorker } from './bullmq-worker.js';
export { NO_HISTORY, type JobHistory } from './job-history.js';
export { type JobQueue, type JobFilter, type JobState, type JobEvent, type JobFailure, type JobInfo, type ProblemOutcome } from './job-types.js';
export { queueConfigFromEnv, openJobQueue, type QueueEnvConfig } from './open-queue.js';
export { PlanJobService, type DomainResolver, type SubmitCall } from './plan-job-service.js';
export { JobFailedError } from './queue-errors.js';
export { type JobPlanner } from './run-job.js';
export { SqlJobHistory } from './sql-job-history.js';
