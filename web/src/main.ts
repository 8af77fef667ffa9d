/**
 * The web page's entry: decides between the login form and the app (no
 * login when the server runs with --dev-no-auth), then loads the domain list
 * and the jobs. Each view shows its own errors next to it.
 */
import { describe } from './api.js';
import { wireDebugger } from './debugger.js';
import { byId, showText } from './dom.js';
import { loadDomains, wireRegister } from './domains.js';
import { SAMPLE_DOMAIN } from './examples.js';
import { loadJobs } from './jobs.js';
import { wirePlan } from './plan.js';
import { canCall, currentUser, showSignedIn, wireSession } from './session.js';

function enter(who: string): void {
  showSignedIn(true, who);
  void loadDomains();
  void loadJobs();
}

async function start(): Promise<void> {
  wireSession((user) => enter(`Logged in as ${user}`));
  wireRegister();
  wirePlan();
  wireDebugger();
  byId<HTMLTextAreaElement>('register-text').value = SAMPLE_DOMAIN;
  byId('domains-refresh').addEventListener('click', () => void loadDomains());
  byId('jobs-refresh').addEventListener('click', () => void loadJobs());
  try {
    if (await canCall()) enter(currentUser() ? `Logged in as ${currentUser()}` : 'No login needed: the server runs with --dev-no-auth');
    else showSignedIn(false, '');
  } catch (err) {
    showText('global-error', `The server did not answer as expected: ${describe(err)}`);
    showSignedIn(false, '');
  }
}

void start();
