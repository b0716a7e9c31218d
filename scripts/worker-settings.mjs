// Every environment variable the worker reads (worker/config.ts), for the launchers that pass
// the environment on to it: only these, never the whole environment.
import { devJwtSettings, hasJwtSettings } from './dev-key.mjs'

export const SETTINGS = [
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_JWKS_URL',
  'JWT_PUBLIC_KEY',
  'JWT_ALGORITHMS',
  'JWT_CLOCK_TOLERANCE_SECONDS',
  'JWT_REQUIRED_SCOPE',
  'TENANT_MODE',
  'ALLOWED_TENANTS',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE',
  'AZURE_CLOUD',
  'AZURE_AUTHORITY_HOST',
  'GRAPH_ENDPOINT',
  'EXCHANGE_ENDPOINT',
  'CREDITS_START',
  'CREDITS_STORE',
  'DENO_KV_PATH',
  'RATE_LIMIT_PER_MINUTE',
  'CORS_ORIGINS',
  'AUDIT_DEADLINE_SECONDS',
  'SUBREQUEST_BUDGET',
]

/**
 * The settings a launcher passes on from `env`; without any JWT_* setting, the development
 * key's (`dev` is then true, and `npm run dev-token` signs tokens the worker accepts).
 */
export async function launcherSettings(env) {
  const settings = Object.fromEntries(
    SETTINGS.filter((name) => env[name] !== undefined).map((name) => [name, env[name]])
  )
  const dev = !hasJwtSettings(env)
  if (dev) Object.assign(settings, await devJwtSettings())
  return { settings, dev }
}
