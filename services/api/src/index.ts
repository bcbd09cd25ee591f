export { type Principal, ROLES, type Role } from '@small-steps/domain';
export { buildApp } from './app.ts';
export { demoPrincipals, mintDevToken } from './auth/dev-tokens.ts';
export { type Config, ConfigError, DEVELOPMENT_SECRET, loadConfig, SETTING_NAMES, SETTINGS } from './config.ts';
