// `npm run dev-token`: prints a bearer token for a local worker started with `npm run serve`
// or `npm run serve:workerd` without JWT_* settings (they trust the development key, see
// scripts/dev-key.mjs). Options: --sub NAME, --scope "bec:read", --tid TENANT-GUID.
import { parseArgs } from 'node:util'
import { devToken } from './dev-key.mjs'

const { values } = parseArgs({
  options: { sub: { type: 'string' }, scope: { type: 'string' }, tid: { type: 'string' } },
})
process.stdout.write(
  `${await devToken({
    ...(values.sub ? { subject: values.sub } : {}),
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(values.tid ? { tenant: values.tid } : {}),
  })}\n`
)
