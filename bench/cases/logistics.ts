/**
 * Seeded random problems for logistics_hgn, larger than GTPyhop's example
 * (2 cities, 2 packages): many cities, each with an airport, a few other
 * locations and trucks, airplanes parked at random airports, and packages
 * that must go to a random location, often in another city.
 */
import type { JsonValue, Problem } from '../../server/src/planner/index.js';
import { rng } from './blocks-world.js';

/** The shape of a logistics problem. */
export interface LogisticsSize {
  cities: number;
  /** Locations per city besides its airport. */
  locationsPerCity: number;
  trucksPerCity: number;
  planes: number;
  packages: number;
}

/** The sizes the benchmark uses, by package count (the N of the charts). */
export const LOGISTICS_SIZES: readonly LogisticsSize[] = [
  { cities: 3, locationsPerCity: 2, trucksPerCity: 1, planes: 2, packages: 5 },
  { cities: 5, locationsPerCity: 3, trucksPerCity: 1, planes: 2, packages: 10 },
  { cities: 8, locationsPerCity: 3, trucksPerCity: 2, planes: 3, packages: 20 },
  { cities: 15, locationsPerCity: 4, trucksPerCity: 2, planes: 5, packages: 50 },
  { cities: 25, locationsPerCity: 4, trucksPerCity: 2, planes: 8, packages: 100 },
];

const set = (xs: string[]): JsonValue => ({ __set__: xs });
const pick = <T>(xs: readonly T[], rand: () => number): T => xs[Math.floor(rand() * xs.length)]!;

/**
 * A random logistics_hgn problem: one `at` unigoal per package, in package
 * order. The same size and seed always give the same problem.
 */
export function logisticsProblem(size: LogisticsSize, seed: number): Problem {
  const rand = rng(seed * 104729 + size.packages * 31 + size.cities);
  const cities: string[] = [], airports: string[] = [], locations: string[] = [];
  const trucks: string[] = [], planes: string[] = [], packages: string[] = [];
  const inCity: Record<string, JsonValue> = {};
  const truckAt: Record<string, JsonValue> = {};
  const planeAt: Record<string, JsonValue> = {};
  const at: Record<string, JsonValue> = {};
  const cityLocs: string[][] = [];
  for (let c = 1; c <= size.cities; c++) {
    const city = `city${c}`, airport = `airport${c}`;
    cities.push(city); airports.push(airport); locations.push(airport); inCity[airport] = city;
    const locs = [airport];
    for (let l = 1; l <= size.locationsPerCity; l++) {
      const loc = `location${c}_${l}`;
      locations.push(loc); locs.push(loc); inCity[loc] = city;
    }
    cityLocs.push(locs);
    // Every city needs a truck, or find_truck fails for packages there.
    for (let t = 1; t <= size.trucksPerCity; t++) {
      const truck = `truck${c}_${t}`;
      trucks.push(truck); truckAt[truck] = pick(locs, rand);
    }
  }
  for (let p = 1; p <= size.planes; p++) {
    const plane = `plane${p}`;
    planes.push(plane); planeAt[plane] = pick(airports, rand);
  }
  const todo: JsonValue[][] = [];
  for (let k = 1; k <= size.packages; k++) {
    const pkg = `package${k}`;
    packages.push(pkg);
    const from = pick(pick(cityLocs, rand), rand);
    let to = from;
    while (to === from) to = pick(pick(cityLocs, rand), rand);
    at[pkg] = from;
    todo.push(['at', pkg, to]);
  }
  return {
    state: {
      packages: set(packages), trucks: set(trucks), airplanes: set(planes),
      locations: set(locations), airports: set(airports), cities: set(cities),
      at, truck_at: truckAt, plane_at: planeAt, in_city: inCity,
    },
    todo,
    verify_goals: true,
  };
}
