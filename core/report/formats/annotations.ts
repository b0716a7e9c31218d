/**
 * @module report/formats/annotations
 * Pull-request annotations: one per finding the change introduces or raises, on the snapshot
 * line that holds its rule or mailbox. Findings that fail the gate are errors, the others
 * warnings. GitHub shows 10 of each per step, so the rest are counted for one closing note;
 * the job summary and the SARIF log carry them all. Messages are one line with attacker
 * controls made visible; the adapter's workflow-command escaping does the rest.
 */

import type { AuditReport, Finding, RiskLevel } from '../../model/findings.ts'
import { atLeast } from '../../risk/score.ts'
import { sortFindings } from '../order.ts'
import { describeFinding, TYPE_LABELS } from './finding-view.ts'
import { neutralize, truncate } from './safe-text.ts'

/** Annotations of one level GitHub shows per step. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10
/** Longest annotation message; a rule name cannot make one unreadable. */
const MAX_MESSAGE_CHARS = 1000

export interface Annotation {
  level: 'error' | 'warning'
  /** Fixed words only: no attacker text reaches a title. */
  title: string
  message: string
  /** 1-based line in the annotated file, when the finding could be placed. */
  line?: number
  finding: Finding
}

export interface AnnotationOptions {
  /** The gate: findings at or above it are errors. */
  failOn: RiskLevel
  /** The finding's line in the annotated file. */
  line?: (finding: Finding) => number | undefined
  /** Per level (default MAX_ANNOTATIONS_PER_LEVEL). */
  max?: number
}

/**
 * The annotations for a gated change: reported findings that are new or raised against the
 * baseline (every reported finding when there is none), most severe first.
 */
export function gateAnnotations(
  report: AuditReport,
  options: AnnotationOptions
): { annotations: Annotation[]; omitted: number } {
  const max = options.max ?? MAX_ANNOTATIONS_PER_LEVEL
  const shown = { error: 0, warning: 0 }
  const annotations: Annotation[] = []
  let omitted = 0
  for (const finding of sortFindings(report.data.findings)) {
    if (finding.suppressed) continue
    if (finding.baseline === 'unchanged' || finding.baseline === 'lowered') continue
    const level = atLeast(finding.risk_level, options.failOn) ? 'error' : 'warning'
    if (shown[level] >= max) {
      omitted++
      continue
    }
    shown[level]++
    const line = options.line?.(finding)
    annotations.push({
      level,
      title: title(finding),
      message: truncate(
        neutralize(`${describeFinding(finding)}${change(finding)}`),
        MAX_MESSAGE_CHARS
      ),
      ...(line !== undefined ? { line } : {}),
      finding,
    })
  }
  return { annotations, omitted }
}

function title(f: Finding): string {
  const what = f.baseline === 'raised' ? 'raised to ' : f.baseline === 'new' ? 'new ' : ''
  return `forwarding-audit: ${what}${f.risk_level} ${TYPE_LABELS[f.type]} (${f.risk_score})`
}

function change(f: Finding): string {
  if (f.baseline === 'raised' && f.baseline_risk_level) {
    return ` Raised from ${f.baseline_risk_level} since the baseline.`
  }
  return f.baseline === 'new' ? ' New since the baseline.' : ''
}
