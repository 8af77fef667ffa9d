/**
 * The roles a principal can hold, weakest first. Core, not auth, holds
 * them: the data service stores a user's role and must not import auth.
 * What each role may do is auth's (services/auth/roles.ts).
 */
export const ROLES = ['viewer', 'planner', 'admin'] as const;

/** A role. */
export type RoleName = (typeof ROLES)[number];
