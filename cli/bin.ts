#!/usr/bin/env node
/**
 * @module cli/bin
 * The installed `forwarding-audit` command. It always runs: npm's bin is a symlink with
 * another name, npx and global installs call it by other paths, so no check of argv[1] decides
 * whether the command does anything.
 */
import { main } from './main.ts'

// A closed pipe (`| head`) is reported once by the write that failed (cli/io.ts); without a
// listener Node would also throw it here as an uncaught error with a stack trace.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
})
