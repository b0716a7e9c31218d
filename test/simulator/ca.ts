/**
 * @module test/simulator/ca
 * A throwaway certificate authority for the simulator's HTTPS servers. Tests trust it through
 * NODE_EXTRA_CA_CERTS (set by test/global-setup.ts before workers fork), so the code under
 * test talks to the simulator exactly as it would to Microsoft: real TLS, no
 * NODE_TLS_REJECT_UNAUTHORIZED escape hatch. HTTPS is not optional: the Graph SDK only sends
 * the Authorization header to `https://` custom hosts (docs/microsoft-apis.md §4.3).
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'

export interface TestCa {
  certPath: string
  keyPath: string
  certPem: string
  keyPem: string
}

const DAY_MS = 86_400_000
// ECDSA P-256: generated in ~1 ms where RSA-2048 takes ~200 ms, and every TLS stack accepts it.
// selfsigned imports the CA key with the leaf's key type, so CA and leaf must match.
const KEY = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const

/** Makes a CA certificate and key, written as `ca.pem` / `ca-key.pem` into `dir` or a fresh temp dir. */
export async function createTestCa(dir?: string): Promise<TestCa> {
  const notBeforeDate = new Date(Date.now() - DAY_MS)
  const ca = await generate([{ name: 'commonName', value: 'forwarding-audit throwaway test CA' }], {
    ...KEY,
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 30 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      {
        name: 'keyUsage',
        keyCertSign: true,
        cRLSign: true,
        digitalSignature: true,
        critical: true,
      },
    ],
  })
  const target = dir ?? (await mkdtemp(join(tmpdir(), 'fa-test-ca-')))
  const certPath = join(target, 'ca.pem')
  const keyPath = join(target, 'ca-key.pem')
  await writeFile(certPath, ca.cert)
  await writeFile(keyPath, ca.private, { mode: 0o600 })
  return { certPath, keyPath, certPem: ca.cert, keyPem: ca.private }
}

export interface ServerCert {
  certPem: string
  keyPem: string
}

// One leaf per CA per process serves every simulator.
const leafCache = new Map<string, Promise<ServerCert>>()

/** A leaf certificate for `localhost`, `127.0.0.1` and `::1`, signed by the given CA. */
export function issueServerCert(ca: { certPem: string; keyPem: string }): Promise<ServerCert> {
  let leaf = leafCache.get(ca.certPem)
  if (!leaf) {
    leaf = generateLeaf(ca)
    leafCache.set(ca.certPem, leaf)
  }
  return leaf
}

async function generateLeaf(ca: { certPem: string; keyPem: string }): Promise<ServerCert> {
  const notBeforeDate = new Date(Date.now() - DAY_MS)
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    ...KEY,
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 7 * DAY_MS),
    ca: { cert: ca.certPem, key: ca.keyPem },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  })
  return { certPem: leaf.cert, keyPem: leaf.private }
}
