/**
 * The problems the cases plan: seeded blocks-world and logistics problems,
 * deep recursion, the travel examples, and the conformance suite's
 * find_plan cases. Every layer (wasm, pool, gRPC, GTPyhop) draws on these
 * same sets so that their figures compare.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { JsonValue, Problem } from '../../server/src/planner/index.js';
import { conformancePath } from '../repo-paths.js';
import { blocksProblem } from './blocks-world.js';
import { LOGISTICS_SIZES, logisticsProblem } from './logistics.js';

/** A named list of problems in one domain; a case plans them in turn. */
export interface ProblemSet {
  /** The case-name tail: `blocks-100`, `travel`, ... */
  name: string;
  domain: string;
  problems: Problem[];
  /** The N of the throughput-vs-N charts, when the set has one. */
  n?: number;
  /** GTPyhop's example domain that plans the same problems, when it has one. */
  gtpyhop?: string;
}

/** Block counts of the blocks-world sweep (issue 2 asks for 10 to 200; 500 shows the trend). */
export const BLOCK_COUNTS = [10, 20, 50, 100, 200, 500];
/** Seeds per block count: a case cycles through them so that no single lucky problem decides. */
export const BLOCK_SEEDS = [1, 2, 3, 4, 5];
/** GTPyhop is run up to this many blocks (above it one plan takes seconds). */
export const GTPYHOP_MAX_BLOCKS = 200;
/** GTPyhop is run up to this many logistics packages (at 100 one plan takes several seconds). */
export const GTPYHOP_MAX_PACKAGES = 50;
/** Depths of the recursion probe (probe_misc `count`). */
export const RECURSION_COUNTS = [100, 400, 1000, 10000];

/** Seeded random blocks-world problems of n blocks, for one of the blocks domains. */
export function blocksSet(domain: string, n: number): ProblemSet {
  return {
    name: `blocks-${n}`, domain, n,
    problems: BLOCK_SEEDS.map((s) => blocksProblem(n, s, domain)),
    gtpyhop: n <= GTPYHOP_MAX_BLOCKS ? domain : undefined,
  };
}

/** Seeded logistics problems, one set per size, named by package count. */
export function logisticsSets(): ProblemSet[] {
  return LOGISTICS_SIZES.map((size) => ({
    name: `logistics-p${size.packages}`, domain: 'logistics_hgn', n: size.packages,
    problems: [1, 2, 3].map((seed) => logisticsProblem(size, seed)),
    gtpyhop: size.packages <= GTPYHOP_MAX_PACKAGES ? 'logistics_hgn' : undefined,
  }));
}

/** probe_misc's tail-recursive `count N`: N actions, depth about 2N. */
export function recursionSet(n: number): ProblemSet {
  return { name: `count-${n}`, domain: 'probe_misc', n, problems: [{ state: { v: { x: null }, n: { c: 0 } }, todo: [['count', n]], verify_goals: true }] };
}

/** The small named problems GTPyhop's figures quote: travel, Sussman anomaly, logistics to another city. */
export function namedSets(): ProblemSet[] {
  const travel: Problem = {
    state: { loc: { alice: 'home_a', bob: 'home_b', taxi1: 'park', taxi2: 'station' }, cash: { alice: 20, bob: 15 }, owe: { alice: 0, bob: 0 } },
    todo: [['travel', 'alice', 'park']],
    verify_goals: true,
  };
  const pyhopTravel: Problem = {
    state: { loc: { me: 'home' }, cash: { me: 20 }, owe: { me: 0 }, dist: { home: { park: 8 }, park: { home: 8 } } },
    todo: [['travel', 'me', 'home', 'park']],
    verify_goals: true,
  };
  // The Sussman anomaly: c on a; goal a on b on c.
  const sussman = (domain: string): Problem => {
    const mg = { __multigoal__: 'sussman', vars: { pos: { a: 'b', b: 'c' } } };
    return {
      state: { pos: { c: 'a', a: 'table', b: 'table' }, clear: { c: true, a: false, b: true }, holding: { hand: false } },
      todo: domain === 'blocks_htn' ? [['achieve', mg]] : [mg],
      verify_goals: true,
    };
  };
  const logistics: Problem = {
    state: {
      packages: { __set__: ['package1', 'package2'] }, trucks: { __set__: ['truck1', 'truck6'] }, airplanes: { __set__: ['plane2'] },
      locations: { __set__: ['location1', 'location2', 'location3', 'airport1', 'location10', 'airport2'] },
      airports: { __set__: ['airport1', 'airport2'] }, cities: { __set__: ['city1', 'city2'] },
      at: { package1: 'location1', package2: 'location2' }, truck_at: { truck1: 'location3', truck6: 'location10' },
      plane_at: { plane2: 'airport2' },
      in_city: { location1: 'city1', location2: 'city1', location3: 'city1', airport1: 'city1', location10: 'city2', airport2: 'city2' },
    },
    todo: [['at', 'package1', 'location10']],
    verify_goals: true,
  };
  return [
    { name: 'travel', domain: 'simple_htn', problems: [travel], gtpyhop: 'simple_htn' },
    { name: 'travel', domain: 'pyhop_simple_travel_example', problems: [pyhopTravel], gtpyhop: 'pyhop_simple_travel_example' },
    ...['blocks_gtn', 'blocks_hgn', 'blocks_htn'].map((d) => ({ name: 'sussman', domain: d, problems: [sussman(d)], gtpyhop: d })),
    { name: 'logistics-example', domain: 'logistics_hgn', problems: [logistics], gtpyhop: 'logistics_hgn' },
  ];
}

interface ConformanceCase { domain: string; kind: string; state: Problem['state']; todo: JsonValue[]; verify_goals?: boolean }

/**
 * The conformance suite's find_plan cases, one set per domain. Empty when
 * the suite is not there (it lives outside the repository).
 */
export function conformanceSets(path = conformancePath()): ProblemSet[] {
  if (!existsSync(path)) return [];
  const cases = JSON.parse(readFileSync(path, 'utf8')) as ConformanceCase[];
  const byDomain = new Map<string, Problem[]>();
  for (const c of cases) {
    if (c.kind !== 'find_plan') continue;
    const list = byDomain.get(c.domain) ?? [];
    list.push({ state: c.state, todo: c.todo as Problem['todo'], verify_goals: c.verify_goals });
    byDomain.set(c.domain, list);
  }
  return [...byDomain].sort(([a], [b]) => a.localeCompare(b)).map(([domain, problems]) => ({ name: 'conformance', domain, problems }));
}
