/**
 * The token verifier below HTTP, for what the suite's configurations do not reach: one PEM
 * key serving an allowlist of several algorithms, where a token of the other key type is a
 * plain 401, never a server error.
 */
import { exportSPKI, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { tokenVerifier } from '../../worker/auth/verifier.ts'

const auth = (pem: string) => ({
  issuer: 'https://issuer.test',
  audience: ['api://test'],
  keys: { kind: 'pem' as const, pem },
  algorithms: ['RS256', 'ES256'],
  clockToleranceSeconds: 30,
  scope: 'bec:read',
})

async function signed(alg: 'RS256' | 'ES256', key: CryptoKey) {
  return new SignJWT({ sub: 'caller' })
    .setProtectedHeader({ alg })
    .setIssuer('https://issuer.test')
    .setAudience('api://test')
    .setExpirationTime('5m')
    .sign(key)
}

describe('a verifier with one PEM public key', () => {
  it('accepts a token of its key type and refuses the other type with a 401', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true })
    const ec = await generateKeyPair('ES256')
    const verifier = tokenVerifier(auth(await exportSPKI(rsa.publicKey)))
    await expect(verifier.verify(await signed('RS256', rsa.privateKey))).resolves.toMatchObject({
      sub: 'caller',
    })
    await expect(verifier.verify(await signed('ES256', ec.privateKey))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'the token is not valid',
    })
  })
})
