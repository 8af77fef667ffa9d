/**
 * The layering of server/src, as rules (docs/architecture.md explains it).
 * test/layering.test.ts runs them in `npm test`; by hand:
 *   npx depcruise --config server/dependency-cruiser.cjs server/src
 *
 *   app, cli        wiring, boot order, commands: may import anything
 *   transport       gRPC adapters: services' index.ts, libraries' index.ts, core, gen
 *   services/<name> one folder per service, index.ts its only face: core,
 *                   libraries' index.ts, other services' index.ts; no gRPC
 *   pool, hddl      libraries over the planner: core, planner/index.ts
 *   planner         the planner library: core only
 *   core            errors, signals, mutex, redaction, logger: nothing of ours
 */
const SRC = '^server/src/';
const INDEX = '/index\\.ts$';

/** Rules every import must keep. */
const forbidden = [
  {
    name: 'no-circular',
    comment: 'No import cycles: a cycle makes load order (and boot order) depend on who imports first.',
    severity: 'error',
    from: { path: SRC },
    to: { circular: true },
  },
  {
    name: 'core-imports-nothing',
    comment: 'core is the bottom layer: it imports nothing of the project.',
    severity: 'error',
    from: { path: `${SRC}core/` },
    to: { path: '^(server/src/(?!core/)|gen/)' },
  },
  {
    name: 'planner-imports-core-only',
    comment: 'The planner library stands alone: core and itself.',
    severity: 'error',
    from: { path: `${SRC}planner/` },
    to: { path: '^(server/src/(?!planner/|core/)|gen/)' },
  },
  {
    name: 'libraries-import-core-and-planner',
    comment: 'pool and hddl build on the planner (through its index.ts) and core.',
    severity: 'error',
    from: { path: `${SRC}(pool|hddl)/` },
    to: { path: `${SRC}(?!core/|planner/index\\.ts$|$1/)` },
  },
  {
    name: 'library-through-index',
    comment: 'Outside its own folder, a library (planner, pool, hddl) is reached only through its index.ts (the CLI may load planner parts lazily, for start-up time).',
    severity: 'error',
    from: { path: `${SRC}([^/]+)/`, pathNot: `${SRC}(app|cli)/` },
    to: { path: `${SRC}(planner|pool|hddl)/`, pathNot: [`${SRC}(planner|pool|hddl)${INDEX}`, `${SRC}$1/`] },
  },
  {
    name: 'service-through-index',
    comment: 'Outside its own folder, a service is reached only through its index.ts.',
    severity: 'error',
    from: { path: SRC, pathNot: `${SRC}services/` },
    to: { path: `${SRC}services/[^/]+/`, pathNot: `${SRC}services/[^/]+${INDEX}` },
  },
  {
    name: 'service-to-service-through-index',
    comment: 'A service reaches another service only through its index.ts.',
    severity: 'error',
    from: { path: `${SRC}services/([^/]+)/` },
    to: { path: `${SRC}services/(?!$1/)[^/]+/(?!index\\.ts$)` },
  },
  {
    name: 'services-below-transport',
    comment: 'Service logic knows nothing of gRPC, the transport, the wiring or the CLI.',
    severity: 'error',
    from: { path: `${SRC}(services|planner|pool|hddl|core)/` },
    to: { path: `${SRC}(transport|app|cli)/` },
  },
  {
    name: 'no-grpc-in-logic',
    comment: 'Only the transport, the wiring and the CLI speak gRPC (the pool decodes deferred protobuf problems, on its workers).',
    severity: 'error',
    from: { path: `${SRC}(services|planner|hddl|core)/` },
    to: { path: '(^gen/|@grpc|grpc-health-check)' },
  },
  {
    name: 'transport-below-app',
    comment: 'The transport is wired by the app; it does not import it.',
    severity: 'error',
    from: { path: `${SRC}transport/` },
    to: { path: `${SRC}(app|cli)/` },
  },
  {
    name: 'app-below-cli',
    comment: 'The CLI starts the app; the app never imports the CLI.',
    severity: 'error',
    from: { path: `${SRC}app/` },
    to: { path: `${SRC}cli/` },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
