/** The face of auth: everything other folders may use. */
export { resolveAuthMode, isLoopback, type AuthMode } from './auth-mode.js';
export { AuthService, type AuthOptions, type TokenPair } from './auth-service.js';
export { bootstrapAdmin } from './bootstrap-admin.js';
export { LoginThrottle, throttleOptionsFromEnv, peerAddress, type LoginThrottleOptions } from './login-throttle.js';
export { ANONYMOUS_ADMIN, type Principal } from './principal.js';
export { OPEN, permissionFor, roleAllows, type RoleName } from './roles.js';
