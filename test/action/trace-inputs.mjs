// A preload for the action bundle (`node --import ./trace-inputs.mjs action/dist/index.js`):
// records every INPUT_* variable the action reads and, at exit, writes the names to the file
// FA_TRACE_INPUTS names. It watches the real process, so "every input is read" is measured,
// not inferred from the source.
import { writeFileSync } from 'node:fs'

const read = new Set()
const env = process.env
process.env = new Proxy(env, {
  get(target, key) {
    if (typeof key === 'string' && key.startsWith('INPUT_')) read.add(key)
    return Reflect.get(target, key)
  },
})
process.on('exit', () => {
  if (env.FA_TRACE_INPUTS) writeFileSync(env.FA_TRACE_INPUTS, JSON.stringify([...read].sort()))
})
