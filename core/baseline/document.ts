/**
 * @module baseline/document
 * What a user hands over as a baseline: a previous JSON report (`--format json`, the action's
 * report), or a tenant snapshot, which is audited with the same request as the audit it is
 * compared with (the pull-request gate compares the base branch's snapshot with the head's).
 */
import * as z from 'zod/mini'
import { type AuditDependencies, runAudit } from '../audit/run-audit.ts'
import { InvalidInputError, isAuditError } from '../errors/errors.ts'
import { DEFAULT_INPUT_LIMITS, type InputLimits, parseJsonDocument } from '../lib/bytes.ts'
import { issuePath, safeParseInEnglish } from '../lib/schema-check.ts'
import type { AuditReport } from '../model/findings.ts'
import { FINDING_TYPES, RISK_LEVELS } from '../model/findings.ts'
import type { AuditRequest } from '../request/schema.ts'
import { SNAPSHOT_FORMAT, type TenantSnapshot } from '../sources/snapshot/schema.ts'
import { parseSnapshot, snapshotSource } from '../sources/snapshot/source.ts'
import type { TenantSource } from '../sources/source.ts'
import { type BaselineAudit, compareWithBaseline } from './compare.ts'

/** A parsed baseline: `name` is how the user knows it (`--baseline base.json`). */
export type BaselineDocument =
  | { kind: 'report'; name: string; audit: BaselineAudit }
  | { kind: 'snapshot'; name: string; snapshot: TenantSnapshot }

// Only what a comparison reads is checked; a report from an older or newer version still works.
const reportOutline = z.object({
  data: z.object({
    findings: z.array(
      z.object({
        id: z.string().check(z.minLength(1)),
        type: z.enum(FINDING_TYPES),
        user: z.string(),
        destination: z.string(),
        rule_name: z.nullable(z.string()),
        risk_level: z.enum(RISK_LEVELS as [string, ...string[]]),
        suppressed: z.optional(z.object({ reason: z.string() })),
      })
    ),
    summary: z.object({
      tenant: z.string(),
      request: z.optional(z.record(z.string(), z.unknown())),
      complete: z.optional(z.boolean()),
      skipped: z.optional(z.array(z.object({ mailbox: z.string() }))),
    }),
  }),
})

/**
 * Parse a baseline from the bytes of its file; throws INVALID_BASELINE naming the file and field.
 * @example
 * const baseline = parseBaseline(await readFile('base.json'), '--baseline base.json')
 */
export function parseBaseline(
  input: Uint8Array | string,
  name = 'baseline',
  limits: InputLimits = DEFAULT_INPUT_LIMITS.snapshot
): BaselineDocument {
  // A report or a snapshot: bounded like a snapshot, before it is parsed.
  const document = parseJsonDocument(
    input,
    {
      code: 'INVALID_BASELINE',
      name,
      fix: 'give a JSON report (--format json) or a tenant snapshot',
    },
    limits
  )
  const isObject = typeof document === 'object' && document !== null && !Array.isArray(document)
  if (isObject && 'format' in document) {
    if (document.format !== SNAPSHOT_FORMAT) throw notBaseline(name)
    try {
      return { kind: 'snapshot', name, snapshot: parseSnapshot(document) }
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error
      throw new InvalidInputError('INVALID_BASELINE', `${name}: ${error.message}`, error.field)
    }
  }
  if (!isObject || !('data' in document)) throw notBaseline(name)
  const result = safeParseInEnglish(reportOutline, document)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const field = issuePath(issue.path)
    throw new InvalidInputError(
      'INVALID_BASELINE',
      `${name} \`${field}\`: ${issue.message.replace(/^Invalid input: /, '')}; give a JSON report written by forwarding-audit --format json`,
      field
    )
  }
  const { findings, summary } = result.data.data
  return {
    kind: 'report',
    name,
    audit: {
      tenant: summary.tenant,
      ...(summary.request ? { request: summary.request } : {}),
      ...(summary.complete !== undefined ? { complete: summary.complete } : {}),
      ...(summary.skipped ? { skipped: summary.skipped.map((s) => s.mailbox) } : {}),
      findings: findings as BaselineAudit['findings'],
    },
  }
}

/**
 * One audit and, when a baseline is given, its comparison: what every adapter's `--baseline`
 * does. A snapshot baseline also stands in for the hidden rules `hidden_sweep: changed` leaves
 * unread (docs/live-audit.md); it is audited with the same request and allowlist, so only the
 * tenant differs.
 * @example
 * const report = await auditWithBaseline(request, source, { allowlist }, parseBaseline(bytes))
 */
export async function auditWithBaseline(
  request: AuditRequest,
  source: TenantSource,
  dependencies: AuditDependencies,
  baseline: BaselineDocument | undefined
): Promise<AuditReport> {
  const sweepBaseline =
    baseline?.kind === 'snapshot' && request.hidden_sweep === 'changed'
      ? baseline.snapshot
      : undefined
  const audited = await runAudit(request, source, {
    ...dependencies,
    ...(sweepBaseline ? { sweepBaseline } : {}),
  })
  if (!baseline) return audited
  const { allowlist } = dependencies
  return applyBaseline(audited, baseline, {
    request,
    dependencies: allowlist ? { allowlist } : {},
  })
}

/**
 * Compare `report` with a parsed baseline. A snapshot baseline is audited first with the same
 * request and dependencies (allowlist, clock), so only the tenant's differences show.
 */
export async function applyBaseline(
  report: AuditReport,
  baseline: BaselineDocument,
  options: { request: unknown; dependencies?: AuditDependencies }
): Promise<AuditReport> {
  const origin = { comparedWith: baseline.name, kind: baseline.kind }
  if (baseline.kind === 'report') return compareWithBaseline(report, baseline.audit, origin)
  let audited: AuditReport
  try {
    audited = await runAudit(
      options.request,
      snapshotSource(baseline.snapshot),
      options.dependencies
    )
  } catch (error) {
    // A rule that only fails its full check when read is still the baseline file's fault.
    if (isAuditError(error) && error.code === 'INVALID_SNAPSHOT') {
      const field = error instanceof InvalidInputError ? error.field : undefined
      throw new InvalidInputError('INVALID_BASELINE', `${baseline.name}: ${error.message}`, field)
    }
    throw error
  }
  const { summary, findings } = audited.data
  return compareWithBaseline(
    report,
    {
      tenant: summary.tenant,
      request: summary.request,
      complete: summary.complete,
      skipped: summary.skipped.map((s) => s.mailbox),
      findings,
    },
    origin
  )
}

function notBaseline(name: string): InvalidInputError {
  return new InvalidInputError(
    'INVALID_BASELINE',
    `${name} is neither a JSON report ({ "data": { "findings" } }, from --format json) nor a tenant snapshot ("format": "${SNAPSHOT_FORMAT}")`
  )
}
