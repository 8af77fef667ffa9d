/** The queue's recent jobs (ListJobs), newest first, refreshed on demand (live watching is a later step). */
import { call, describe } from './api.js';
import { byId, el, showText } from './dom.js';

interface Job {
  id: string;
  state?: string;
  domainName?: string;
  domainVersion?: number;
  total?: number;
  done?: number;
  createdUnixMs?: number;
}

/** Fetches and shows the jobs. */
export async function loadJobs(): Promise<void> {
  showText('jobs-error', '');
  const list = byId('job-list');
  try {
    const res = await call<{ jobs?: Job[] }>('aria.queue.v1.QueueService', 'ListJobs', { limit: 50 });
    const jobs = res.jobs ?? [];
    list.replaceChildren(...jobs.map(jobItem));
    if (jobs.length === 0) list.append(el('li', 'no jobs yet', 'muted'));
  } catch (err) {
    showText('jobs-error', `Could not list the jobs: ${describe(err)}`);
  }
}

function jobItem(job: Job): HTMLLIElement {
  const li = el('li');
  const state = (job.state ?? 'JOB_STATE_UNSPECIFIED').replace(/^JOB_STATE_/, '').toLowerCase();
  li.append(
    el('span', state, `badge state-${state}`),
    el('span', ` ${job.domainName ?? '?'} v${job.domainVersion ?? '?'} · ${job.done ?? 0}/${job.total ?? 0} done`),
    el('span', job.createdUnixMs ? ` · ${new Date(job.createdUnixMs).toLocaleString()}` : '', 'muted'),
    el('div', job.id, 'job-id muted'),
  );
  return li;
}
