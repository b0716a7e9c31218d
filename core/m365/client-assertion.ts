/**
 * @module m365/client-assertion
 * The signed JWT a certificate credential sends instead of a secret (Entra "certificate
 * credentials"): RS256 with the app's private key, the certificate named by its SHA-256
 * thumbprint (`x5t#S256`, what MSAL sends), addressed to the one token endpoint, valid 10
 * minutes. Web Crypto and jose only, so it runs in Node, Deno and workerd alike.
 */
import { base64url, importPKCS8, SignJWT } from 'jose'
import { AuditRunError } from '../errors/errors.ts'
import { AZURE_SETTING_NAMES } from './setting-names.ts'

const LIFETIME_SECONDS = 600

/** Signs fresh client assertions for one app certificate; the key is imported once. */
export interface AssertionSigner {
  /** A new assertion for `audience` (the token endpoint URL) at epoch ms `nowMs`. */
  sign(audience: string, nowMs: number): Promise<string>
}

/** A signer for a PKCS#8 RSA key and its certificate; bad PEM fails with AUTH_FAILED naming the setting. */
export function certificateSigner(
  input: {
    clientId: string
    privateKeyPem: string
    certificatePem: string
  },
  setting = AZURE_SETTING_NAMES.clientCertificate
): AssertionSigner {
  let prepared: Promise<{ key: CryptoKey; thumbprint: string }> | undefined
  const prepare = async () => {
    const thumbprint = await sha256Thumbprint(certificateDer(input.certificatePem, setting))
    return { key: await privateKey(input.privateKeyPem, setting), thumbprint }
  }
  return {
    async sign(audience, nowMs) {
      prepared ??= prepare()
      const { key, thumbprint } = await prepared
      const now = Math.floor(nowMs / 1000)
      return new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': thumbprint })
        .setIssuer(input.clientId)
        .setSubject(input.clientId)
        .setAudience(audience)
        .setJti(crypto.randomUUID())
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + LIFETIME_SECONDS)
        .sign(key)
    },
  }
}

/** The DER bytes of the first certificate in a PEM (a chain file starts with the leaf). */
export function certificateDer(
  pem: string,
  setting = AZURE_SETTING_NAMES.clientCertificate
): Uint8Array<ArrayBuffer> {
  const body = pemBody(pem, 'CERTIFICATE')
  const der = body === undefined ? undefined : decodeBase64(body)
  // Every DER certificate is an ASN.1 SEQUENCE (0x30); anything else is not a certificate.
  if (der?.[0] !== 0x30) {
    throw invalidCertificate(
      'the certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)',
      setting
    )
  }
  return der
}

/** base64url(SHA-256(DER)): how Entra finds the registered certificate. */
export async function sha256Thumbprint(der: Uint8Array<ArrayBuffer>): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', der)))
}

async function privateKey(pem: string, setting: string): Promise<CryptoKey> {
  const body = pemBody(pem, 'PRIVATE KEY')
  if (body === undefined) {
    if (pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
      throw invalidCertificate(
        'the private key is encrypted: export it without a password (openssl pkcs8 -topk8 -nocrypt)',
        setting
      )
    }
    if (pem.includes('-----BEGIN RSA PRIVATE KEY-----')) {
      throw invalidCertificate(
        'the private key is PKCS#1: convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)',
        setting
      )
    }
    throw invalidCertificate('no PKCS#8 private key (-----BEGIN PRIVATE KEY-----) found', setting)
  }
  try {
    // jose wants the block alone; the file may hold the certificate too.
    return await importPKCS8(
      `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`,
      'RS256'
    )
  } catch {
    // jose's message is not shown: it is about key bytes, and the user needs the fix instead.
    throw invalidCertificate('the private key is not an RSA key usable for RS256', setting)
  }
}

function pemBody(pem: string, label: string): string | undefined {
  const match = new RegExp(
    `-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*)-----END ${label}-----`
  ).exec(pem)
  return match?.[1]?.replace(/\s+/g, '')
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0))
  } catch {
    return undefined
  }
}

function invalidCertificate(why: string, setting: string): AuditRunError {
  return new AuditRunError('AUTH_FAILED', `${why}: check ${setting}`, { userFixable: true })
}
