// `npm run serve:workerd`: the Cloudflare bundle (dist/worker.js, built first) in real workerd
// at PORT (default 8787), with the settings worker/wrangler.jsonc declares, overridden by the
// environment. Without JWT_* settings it trusts the local development key (npm run
// dev-token); without AZURE_* it serves the demo tenant. A private CA in NODE_EXTRA_CA_CERTS
// is trusted by workerd too (scripts/workerd.mjs).
import { launcherSettings } from './worker-settings.mjs'
import { startWorkerd } from './workerd.mjs'

const port = Number(process.env.PORT ?? 8787)
const host = process.env.HOST ?? '127.0.0.1'
const { settings: bindings, dev } = await launcherSettings(process.env)

const { urls, close } = await startWorkerd({
  workers: [{ name: 'forwarding-audit', bindings }],
  port,
  host,
  onLine: (line, stream) =>
    (stream === 'stderr' ? process.stderr : process.stdout).write(`${line}\n`),
})
console.error(
  `forwarding-audit on workerd at ${urls['forwarding-audit']}` +
    (dev ? ' (tokens: npm run dev-token)' : '') +
    (process.env.AZURE_CLIENT_ID ? '' : ', serving the demo tenant')
)
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => close().then(() => process.exit(0)))
