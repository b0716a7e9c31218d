import { configDefaults, defineConfig } from 'vitest/config'

/** Every project forks its workers, so each inherits NODE_EXTRA_CA_CERTS from this process. */
const forked = { pool: 'forks', testTimeout: 30_000, hookTimeout: 60_000 } as const

export default defineConfig({
  test: {
    // Runs once, before any worker of any project starts: makes the throwaway CA and exports
    // NODE_EXTRA_CA_CERTS, so Node's fetch in every worker trusts the simulator's certificate.
    // The projects below do not extend this config, so it is not run again per project.
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        // The Microsoft 365 simulator's self-tests: does it answer as Microsoft does?
        test: { name: 'simulator', include: ['test/simulator/**/*.test.ts'], ...forked },
      },
      {
        // The product: core, the CLI end to end, the live clients against the simulator, docs.
        test: {
          name: 'product',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/simulator/**'],
          // Builds dist/cli.mjs, which the CLI tests run as a real process.
          globalSetup: ['test/cli/build-setup.ts'],
          ...forked,
        },
      },
    ],
  },
})
