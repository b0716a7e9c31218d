// The local development key behind `npm run dev-token`: an ES256 key pair made on first use
// and kept in node_modules/.cache (never committed, never bundled). `npm run serve` and
// `npm run serve:workerd` trust its public half only when no JWT_* setting is given, so a
// deployed worker, configured with a real issuer, never accepts these tokens.
import { existsSync } from 'node:fs'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const KEY_FILE = join(ROOT, 'node_modules', '.cache', 'forwarding-audit', 'dev-jwt-key.json')

/** The settings that make a worker trust the development key. */
export const DEV_ISSUER = 'https://dev.forwarding-audit.invalid'
export const DEV_AUDIENCE = 'api://forwarding-audit-dev'

/** The key pair as JWKs, made and saved on first use. */
export async function devKey() {
  if (existsSync(KEY_FILE)) return JSON.parse(await readFile(KEY_FILE, 'utf8'))
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = `dev-${Date.now().toString(36)}`
  const key = {
    public: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    private: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
  }
  await mkdir(dirname(KEY_FILE), { recursive: true })
  // Written aside, then linked in place: when two launchers start at once, the first key
  // linked is everyone's, and nobody reads a half-written file.
  const draft = `${KEY_FILE}.${process.pid}.tmp`
  await writeFile(draft, JSON.stringify(key), { mode: 0o600 })
  try {
    await link(draft, KEY_FILE)
    return key
  } catch (error) {
    if (error.code !== 'EEXIST') throw error
    return JSON.parse(await readFile(KEY_FILE, 'utf8'))
  } finally {
    await unlink(draft)
  }
}

/** JWT_* settings for a local worker that trusts the development key. */
export async function devJwtSettings() {
  const key = await devKey()
  return {
    JWT_ISSUER: DEV_ISSUER,
    JWT_AUDIENCE: DEV_AUDIENCE,
    JWT_PUBLIC_KEY: JSON.stringify(key.public),
    JWT_ALGORITHMS: 'ES256',
  }
}

/** True when `env` gives any JWT_* setting: then the operator's, never the development key. */
export function hasJwtSettings(env) {
  return ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL', 'JWT_PUBLIC_KEY'].some(
    (name) => env[name] !== undefined
  )
}

/** A token signed with the development key: scope bec:read, one hour. */
export async function devToken({ subject = 'dev-user', scope = 'bec:read', tenant } = {}) {
  const key = await devKey()
  return new SignJWT({ scp: scope, ...(tenant ? { tid: tenant } : {}) })
    .setProtectedHeader({ alg: 'ES256', kid: key.private.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importJWK(key.private, 'ES256'))
}
