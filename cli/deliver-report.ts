/**
 * @module cli/deliver-report
 * A finished report out: formatted for --format (colour only on a terminal), written to
 * --output or stdout, and --fail-on turned into the exit status. Every command that audits
 * (the default audit, `events`) ends here, so their outputs and exit statuses never differ.
 */
import { type AuditReport, EXIT_STATUS, failingFindings, formatReport } from '../core/index.ts'
import pkg from '../package.json' with { type: 'json' }
import type { CliOptions } from './args.ts'
import { type CliIo, emit } from './io.ts'

/** Write the report; resolves to the exit status. `artifact` is the file the findings came from. */
export async function deliverReport(
  report: AuditReport,
  options: CliOptions,
  io: CliIo,
  artifact: string | undefined
): Promise<number> {
  const color =
    !options.output && io.stdout.isTTY === true && !('NO_COLOR' in io.env) && io.env.TERM !== 'dumb'
  const text = formatReport(report, options.format, {
    color,
    // A terminal sets the width; a pipe or a file gets whole values.
    width: io.stdout.isTTY && !options.output ? (io.stdout.columns ?? 100) : 200,
    toolVersion: pkg.version,
    ...(options.explain ? { explain: true } : {}),
    ...(artifact ? { artifactUri: artifact } : {}),
  })
  await emit(
    text,
    options.output,
    io,
    `${options.format} report (${report.meta.total_findings} findings)`
  )
  const failing = options.failOn ? failingFindings(report, options.failOn) : []
  if (failing.length > 0) {
    const which = report.data.summary.baseline ? ' new or raised since --baseline' : ''
    io.stderr.write(
      `${failing.length} finding(s)${which} at or above --fail-on ${options.failOn}\n`
    )
    return EXIT_STATUS.findings
  }
  return EXIT_STATUS.ok
}
