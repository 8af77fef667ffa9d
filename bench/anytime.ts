/**
 * `node dist/bench/anytime.js [budgetMs]`: the anytime branch-and-bound on
 * every random logistics size (bench/cases/anytime-cases.ts), one search of
 * budgetMs (default 1000) per problem, as one Markdown table.
 */
import { loadDomain, readBuiltinDomain } from '../server/src/planner/index.js';
import { ANYTIME_DOMAIN, anytimeProblems, anytimeRows, anytimeTable, type AnytimeRow } from './cases/anytime-cases.js';
import { LOGISTICS_SIZES } from './cases/logistics.js';

const budget = Number(process.argv[2] ?? 1000);
const { text, file } = readBuiltinDomain(ANYTIME_DOMAIN);
const handle = loadDomain(text, { file });
const rows: AnytimeRow[] = [];
for (const size of LOGISTICS_SIZES) rows.push(...anytimeRows(handle, `anytime/logistics-p${size.packages}`, anytimeProblems(size.packages), budget));
process.stdout.write(`${anytimeTable(rows)}\n`);
