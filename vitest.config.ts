import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Makes the throwaway CA and exports NODE_EXTRA_CA_CERTS before test workers start,
    // so Node's fetch in every worker trusts the simulator's HTTPS certificate.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
