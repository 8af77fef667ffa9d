/** What the forms start with: simple_htn's travel example (README.md) and a small domain to register. */

/** GTPyhop's simple_htn state: alice at home, two taxis, some cash. */
export const TRAVEL_STATE = {
  loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' },
  cash: { alice: 20, bob: 15 },
  owe: { alice: 0, bob: 0 },
};

/** Alice travels to the park (by taxi: call_taxi, ride_taxi, pay_driver). */
export const TRAVEL_TODO = [['travel', 'alice', 'park']];

/** A domain small enough to read at a glance (docs/domain-language.md). */
export const SAMPLE_DOMAIN = `# A lamp that can be switched on.
domain lamp

var power

action switch_on(l) {
  require power[l] == 'off'
  power[l] = 'on'
}

task light {
  method by_switch(l) {
    return [switch_on(l)]
  }
}
`;
