/**
 * Roles, permissions, and the permission each RPC needs: the one table the
 * auth interceptor consults. A method missing from it is refused for every
 * role (PERMISSION_DENIED), so a new RPC cannot go out unguarded; the auth
 * tests check that every method of every registered service is listed.
 */

import { ROLES, type RoleName } from '../../core/roles.js';

export { ROLES, type RoleName } from '../../core/roles.js';

/** What a role may do. */
export type Permission =
  | 'self' // WhoAmI, ChangePassword, RevokeToken of one's own tokens
  | 'domains.read'
  | 'domains.write'
  | 'plan'
  | 'history.read'
  | 'jobs.read'
  | 'data.status'
  | 'secrets'
  | 'users'
  | 'keys'
  | 'storage.read' // StatAsset, GetAsset, ListAssets, ListAssetVersions
  | 'storage.write' // PutAsset, and the chunk sync that ends in PutAssetIndex
  | 'storage.admin'; // DeleteAssetVersion, CollectGarbage

/** Each role's permissions; each role includes the one before it. */
export const ROLE_PERMISSIONS: Readonly<Record<RoleName, ReadonlySet<Permission>>> = (() => {
  const viewer: Permission[] = ['self', 'domains.read', 'history.read', 'jobs.read', 'storage.read'];
  const planner: Permission[] = [...viewer, 'domains.write', 'plan', 'storage.write'];
  const admin: Permission[] = [...planner, 'data.status', 'secrets', 'users', 'keys', 'storage.admin'];
  return { viewer: new Set(viewer), planner: new Set(planner), admin: new Set(admin) };
})();

/** Marks a method that needs no token at all. */
export const OPEN = 'open' as const;

/** Services whose every method is open: generic gRPC tools must reach them. */
export const OPEN_SERVICES: readonly string[] = [
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
];

/** Service full name → method name → the permission it needs (or OPEN). */
export const METHOD_PERMISSIONS: Readonly<Record<string, Readonly<Record<string, Permission | typeof OPEN>>>> = {
  'aria.planner.v1.PlannerService': {
    RegisterDomain: 'domains.write',
    GetDomain: 'domains.read',
    ListDomains: 'domains.read',
    DeleteDomain: 'domains.write',
    Plan: 'plan',
    PlanStream: 'plan',
    Trace: 'plan',
    Act: 'plan',
    ApplyActions: 'plan',
  },
  'aria.secrets.v1.SecretsService': {
    PutSecret: 'secrets',
    GetSecret: 'secrets',
    ListSecrets: 'secrets',
    DeleteSecret: 'secrets',
  },
  'aria.auth.v1.AuthService': {
    Login: OPEN,
    RefreshToken: OPEN,
    RevokeToken: 'self',
    WhoAmI: 'self',
    ChangePassword: 'self',
    CreateUser: 'users',
    ListUsers: 'users',
    UpdateUser: 'users',
    DeleteUser: 'users',
    RotateSigningKey: 'keys',
  },
  // Planning jobs run under the same rule as planning itself; reading them is like reading history.
  'aria.queue.v1.QueueService': {
    SubmitPlanJob: 'plan',
    GetJob: 'jobs.read',
    WatchJob: 'jobs.read',
    CancelJob: 'plan',
    ListJobs: 'jobs.read',
  },
  // Templates are read like domains; generating runs the planner.
  'aria.shape.v1.ShapeService': {
    ValidateTemplate: 'domains.read',
    ListTemplates: 'domains.read',
    Generate: 'plan',
    GenerateBatch: 'plan',
  },
  // Contexts run the planner, and a context is its owner's working data: every method needs 'plan'
  // (a viewer could not open one, so it has none to read); the service checks the owner.
  'aria.context.v1.ContextService': {
    OpenContext: 'plan',
    Update: 'plan',
    Plan: 'plan',
    GetState: 'plan',
    CloseContext: 'plan',
    Session: 'plan',
  },
  // SOPs are read and changed like domains; runs are read like jobs and started, steered and
  // approved like plans (a viewer watches, a planner acts).
  'aria.workflow.v1.WorkflowService': {
    PutSop: 'domains.write',
    GetSop: 'domains.read',
    ListSops: 'domains.read',
    StartRun: 'plan',
    GetRun: 'jobs.read',
    ListRuns: 'jobs.read',
    WatchRun: 'jobs.read',
    PauseRun: 'plan',
    ResumeRun: 'plan',
    CancelRun: 'plan',
    ApproveStep: 'plan',
  },
  'aria.data.v1.DataService': {
    ListPlanHistory: 'history.read',
    GetDataStatus: 'data.status',
  },
  // Models are read like domains, changed like domains, and run like plans.
  'aria.interpret.v1.InterpretService': {
    RegisterModel: 'domains.write',
    GetModel: 'domains.read',
    ListModels: 'domains.read',
    DeleteModel: 'domains.write',
    SetRoute: 'domains.write',
    Infer: 'plan',
    InferStream: 'plan',
  },
  // Viewers read assets, planners write them, admins delete versions and collect garbage.
  'aria.storage.v1.StorageService': {
    PutAsset: 'storage.write',
    GetAsset: 'storage.read',
    StatAsset: 'storage.read',
    ListAssetVersions: 'storage.read',
    ListAssets: 'storage.read',
    DeleteAssetVersion: 'storage.admin',
    MissingChunks: 'storage.write',
    PutChunks: 'storage.write',
    PutAssetIndex: 'storage.write',
    CollectGarbage: 'storage.admin',
  },
};

/** The permission a method path ("/pkg.Service/Method") needs; undefined when it is not listed. */
export function permissionFor(path: string): Permission | typeof OPEN | undefined {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  const [, service, method] = m;
  if (OPEN_SERVICES.includes(service)) return OPEN;
  return METHOD_PERMISSIONS[service]?.[method];
}

/** True when `role` holds `permission`. */
export function roleAllows(role: RoleName, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.has(permission) ?? false;
}

/** Parses a role name; undefined when it is not one. */
export function parseRole(name: string): RoleName | undefined {
  return (ROLES as readonly string[]).includes(name) ? (name as RoleName) : undefined;
}
