import { AriaClient, AriaError } from 'aria-planner-client';

// Every service of one server. Connects to ARIA_SERVER, or 127.0.0.1:50051.
// With auth on, log in as an admin (secrets need the admin role): set
// ARIA_USER and ARIA_PASSWORD. With auth off (`npm start`) no login is needed.
const user = process.env.ARIA_USER;
const login = user ? { username: user, password: process.env.ARIA_PASSWORD ?? '' } : undefined;
const client = new AriaClient(process.env.ARIA_SERVER, { deadlineMs: 10_000, login });

// Auth: who the server thinks we are.
const me = await client.auth.whoAmI();
console.log('auth:', me.authenticated ? `${me.user?.username} (${me.user?.role})` : 'off');

// Planner: one problem, planned now.
const state = {
  loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' },
  cash: { alice: 20, bob: 15 },
  owe: { alice: 0, bob: 0 },
};
const now = await client.plan('simple_htn', { state, todo: [['travel', 'alice', 'park']] });
console.log('planner:', now.status === 'plan' ? `${now.plan.length} steps` : now.status);

// Queue: two problems planned in the background; wait for the job to end.
const { job } = await client.queue.submit('simple_htn', [
  { state, todo: [['travel', 'alice', 'park']] },
  { state, todo: [['travel', 'bob', 'park']] },
]);
const done = await client.queue.wait(job.id);
console.log('queue:', done.state, done.results.map((r) => (r.outcome instanceof AriaError ? r.outcome.code : r.outcome.status)).join(' '));

// Data: the plan history has our planning call.
const history = await client.data.listPlanHistory({ domainName: 'simple_htn', limit: 10 });
console.log('data:', history.length > 0 ? 'simple_htn in the plan history' : 'no plan history');

// Secrets: a fresh secret, written and read back.
await client.secrets.delete('examples/greeting');
const written = await client.secrets.put('examples/greeting', 'hello', { cas: 0 });
const read = await client.secrets.get('examples/greeting');
console.log('secrets:', `version ${written.version}:`, read.value.toString());

client.close();
