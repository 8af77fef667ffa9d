import { AriaClient, DomainBuilder, e, s } from 'aria-planner-client';

// Connects to ARIA_SERVER, or 127.0.0.1:50051 (`npm start` in the repository
// root starts one with auth off). With auth on, set ARIA_USER and ARIA_PASSWORD
// (a login session) or ARIA_TOKEN (a bearer token).
const user = process.env.ARIA_USER;
const login = user ? { username: user, password: process.env.ARIA_PASSWORD ?? '' } : undefined;
const client = new AriaClient(process.env.ARIA_SERVER, { deadlineMs: 5000, login });

// 1. A built-in example domain, by name.
const travel = await client.plan('simple_htn', {
  state: {
    loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' },
    cash: { alice: 20, bob: 15 },
    owe: { alice: 0, bob: 0 },
  },
  todo: [['travel', 'alice', 'park']],
});
console.log('simple_htn:', JSON.stringify(travel.status === 'plan' ? travel.plan : travel.status));

// 2. A domain built in TypeScript: a robot hops between rooms along doors.
const rooms = new DomainBuilder('rooms')
  .vars('at')
  .const('doors', e.map([e.sym('hall'), e.list(e.sym('kitchen'), e.sym('study'))], [e.sym('kitchen'), e.list(e.sym('hall'))], [e.sym('study'), e.list(e.sym('hall'))]))
  .action('hop', ['r', 'x', 'y'], [
    s.require(e.and(e.eq(e.at('at', 'r'), 'x'), e.in('y', e.at('doors', 'x')))),
    s.set(e.at('at', 'r'), 'y'),
  ])
  .task('go', (t) => t
    .method('arrived', ['r', 'y'], [s.require(e.eq(e.at('at', 'r'), 'y')), s.ret(e.list())])
    .method('direct', ['r', 'y'], [s.require(e.in('y', e.at('doors', e.at('at', 'r')))), s.ret(e.list(e.item('hop', 'r', e.at('at', 'r'), 'y')))])
    .method('via_hall', ['r', 'y'], [s.ret(e.list(e.item('hop', 'r', e.at('at', 'r'), e.sym('hall')), e.item('go', 'r', 'y')))]))
  .build();
const info = await client.registerDomain(rooms);
const route = await client.plan(info.id, { state: { at: { robot: 'kitchen' } }, todo: [['go', 'robot', 'study']] });
console.log('rooms:', JSON.stringify(route.status === 'plan' ? route.plan : route.status));

// 3. Failures are AriaError with the status name and the field at fault.
try {
  await client.plan('no_such_domain', { state: {}, todo: [] });
} catch (err) {
  console.log('error:', (err as { code: string }).code);
}
client.close();
