/** The face of data: everything other folders may use. */
export { type Database, type Queryable } from './database.js';
export { schemaVersion } from './migrate.js';
export { openDatabase } from './open-database.js';
export { PlanHistory } from './plan-history.js';
export { TokenRepo } from './token-repo.js';
export { UserRepo, type UserRecord } from './user-repo.js';
