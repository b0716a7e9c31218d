/**
 * @module action/audit-command
 * `command: audit`: every input file read and checked, one audit of the snapshot or the live
 * tenant, the baseline comparison, then what a workflow uses: the JSON report, the SARIF log,
 * the job summary, pull-request annotations, the outputs, and a failed step exactly when a
 * finding the allowlist does not cover (new or raised, with a baseline) reaches `fail-on`.
 */
import { resolve } from 'node:path'
import * as actions from '@actions/core'
import {
  type AuditReport,
  auditWithBaseline,
  changedFindings,
  connectLive,
  failingFindings,
  formatJobSummary,
  formatReport,
  gateAnnotations,
  liveContext,
  parseAllowlist,
  parseAuditRequest,
  parseBaseline,
  parseSnapshotBytes,
  snapshotSource,
  type TenantSource,
  UsageError,
} from '../core/index.ts'
import pkg from '../package.json' with { type: 'json' }
import { type ActionConfig, type Inputs, inputFor } from './config.ts'
import { actionLiveSettings } from './credentials.ts'
import { defaultPath, readInputFile, writeOutputFile } from './files.ts'
import { type Place, snapshotPlace, workflowPlace } from './locations.ts'
import { setOutputs } from './outputs.ts'
import { requestInput } from './request-input.ts'
import type { RunnerEnv } from './runner.ts'

/** Run the audit; sets the outputs and, when the gate fails, the step's failure. */
export async function auditCommand(
  config: ActionConfig,
  inputs: Inputs,
  env: RunnerEnv
): Promise<void> {
  const input = await requestInput(config)
  const request = parseAuditRequest(input, { fieldName: inputFor })
  const allowlist = config.allowlist
    ? parseAllowlist(
        await readInputFile('allowlist', config.allowlist),
        `allowlist ${config.allowlist}`
      )
    : undefined
  const baseline = config.baseline
    ? parseBaseline(await readInputFile('baseline', config.baseline), `baseline ${config.baseline}`)
    : undefined
  const { source, place } = await sourceFor(config, inputs, env)
  const report = await auditWithBaseline(
    request,
    source,
    {
      ...(allowlist ? { allowlist } : {}),
      onProgress: ({ done, total }) => {
        if (done % 1000 === 0 || done === total)
          actions.info(`read ${done}/${total ?? '?'} mailboxes`)
      },
    },
    baseline
  )

  const reportPath = resolve(config.output ?? defaultPath(env.runnerTemp, 'report.json'))
  const sarifPath = resolve(config.sarifFile ?? defaultPath(env.runnerTemp, 'results.sarif'))
  await writeOutputFile('output', reportPath, formatReport(report, 'json'))
  await writeOutputFile('sarif-file', sarifPath, sarifLog(report, place))
  await writeSummary(env, formatJobSummary(report, { failOn: config.failOn }))
  if (env.pullRequest) annotate(report, config, place)

  const failing = failingFindings(report, config.failOn)
  const changed = report.data.summary.baseline
    ? changedFindings(report.data.findings).length
    : report.meta.total_findings
  setOutputs({
    'total-findings': String(report.meta.total_findings),
    critical: String(report.meta.critical),
    high: String(report.meta.high),
    medium: String(report.meta.medium),
    low: String(report.meta.low),
    'new-findings': String(changed),
    failed: String(failing.length > 0),
    'report-path': reportPath,
    'sarif-path': sarifPath,
    'snapshot-path': config.snapshot ? resolve(config.snapshot) : '',
  })
  actions.info(describe(report))
  if (failing.length > 0) {
    const which = report.data.summary.baseline ? ' new or raised since the baseline' : ''
    actions.setFailed(
      `${failing.length} finding(s)${which} at or above fail-on ${config.failOn}; see the job summary`
    )
  }
}

async function sourceFor(
  config: ActionConfig,
  inputs: Inputs,
  env: RunnerEnv
): Promise<{ source: TenantSource; place: Place | undefined }> {
  if (config.snapshot) {
    const bytes = await readInputFile('snapshot', config.snapshot)
    const snapshot = parseSnapshotBytes(bytes, `snapshot ${config.snapshot}`)
    const place =
      snapshotPlace(env.workspace, config.snapshot, bytes, snapshot) ??
      (await workflowPlace(env.workspace, env.workflowRef))
    return { source: snapshotSource(snapshot), place }
  }
  const live = actionLiveSettings(inputs, env.oidc)
  if (!live) {
    throw new UsageError(
      'nothing to audit: set snapshot to a tenant snapshot file, or tenant-id and client-id for a live audit (with permissions: id-token: write for GitHub OIDC, or client-certificate or client-secret)',
      'snapshot'
    )
  }
  const place = await workflowPlace(env.workspace, env.workflowRef)
  return { source: connectLive(live, liveContext()).source, place }
}

function sarifLog(report: AuditReport, place: Place | undefined): string {
  return formatReport(report, 'sarif', {
    toolVersion: pkg.version,
    ...(place && {
      artifactUri: place.uri,
      locate: (finding) => ({ uri: place.uri, line: place.line(finding) ?? 1 }),
    }),
  })
}

async function writeSummary(env: RunnerEnv, markdown: string): Promise<void> {
  if (!env.stepSummary) {
    actions.info('GITHUB_STEP_SUMMARY is not set (not on a runner): no job summary written')
    return
  }
  await actions.summary.addRaw(markdown).write()
}

/** Annotations on the snapshot lines of what the pull request adds or raises. */
function annotate(report: AuditReport, config: ActionConfig, place: Place | undefined): void {
  const { annotations, omitted } = gateAnnotations(report, {
    failOn: config.failOn,
    ...(place && { line: (finding) => place.line(finding) }),
  })
  for (const a of annotations) {
    const where =
      place && a.line !== undefined ? { file: place.uri, startLine: a.line, endLine: a.line } : {}
    const properties = { title: a.title, ...where }
    if (a.level === 'error') actions.error(a.message, properties)
    else actions.warning(a.message, properties)
  }
  if (omitted > 0) {
    actions.notice(
      `${omitted} more new or raised finding(s) are not annotated (GitHub shows 10 errors and 10 warnings per step); the job summary lists them`
    )
  }
}

function describe(report: AuditReport): string {
  const { meta } = report
  const { mailboxes_scanned: read, mailboxes_skipped: skipped } = report.data.summary
  const levels = `critical ${meta.critical}, high ${meta.high}, medium ${meta.medium}, low ${meta.low}`
  return `${meta.total_findings} finding(s) (${levels}); ${read} mailbox(es) read, ${skipped} skipped`
}
