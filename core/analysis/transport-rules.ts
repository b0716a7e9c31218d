/**
 * @module analysis/transport-rules
 * Organization-level mail flow rules that redirect, Bcc, Cc, add recipients, send for moderation
 * or route mail through a chosen connector: one rule can copy every message of the tenant (LAPSUS$).
 */
import type { RiskFactor } from '../model/findings.ts'
import type { TransportRule } from '../model/tenant.ts'
import { riskFactor } from '../risk/risk-table.ts'
import { conditionBreadth, exceptionsNote } from './breadth.ts'
import {
  type AnalysisOptions,
  byDestination,
  type Candidate,
  destinationFactors,
} from './candidate.ts'
import type { Destination, DestinationResolver } from './destinations.ts'
import { catchAllWords, sensitiveKeywordsIn } from './heuristics.ts'
import type { ConnectorRoute, ConnectorRoutes } from './outbound-connectors.ts'

/** The `user` of transport-rule findings: they act on the whole organization. */
export const ORGANIZATION = 'organization'

/**
 * The findings one transport rule makes: one per destination. `routes` says where an outbound
 * connector delivers (outbound-connectors.ts); without it a connector's destination is unknown.
 */
export function analyzeTransportRule(
  rule: TransportRule,
  resolver: DestinationResolver,
  options: AnalysisOptions,
  routes?: ConnectorRoutes
): Candidate[] {
  const a = rule.actions
  const targets = [
    ...a.redirectMessageTo.map((ref) => ({ kind: 'redirect', destination: resolver.resolve(ref) })),
    ...a.blindCopyTo.map((ref) => ({ kind: 'bcc', destination: resolver.resolve(ref) })),
    ...a.copyTo.map((ref) => ({ kind: 'cc', destination: resolver.resolve(ref) })),
    ...a.addToRecipients.map((ref) => ({
      kind: 'add_recipient',
      destination: resolver.resolve(ref),
    })),
    ...a.moderateMessageByUser.map((ref) => ({
      kind: 'moderate',
      destination: resolver.resolve(ref),
    })),
  ]
  const connector = a.routeMessageOutboundConnector
  let route: ConnectorRoute | undefined
  if (connector) {
    route = routes?.(connector) ?? { destination: connectorDestination(connector), factors: [] }
    targets.push({ kind: 'outbound_connector', destination: route.destination })
  }
  const ruleFactors = transportRuleFactors(rule, resolver.isInternalDomain)
  return byDestination(targets).map(({ destination, kinds }) => {
    const viaConnector = kinds.length === 1 && kinds[0] === 'outbound_connector'
    const factors = [
      ...(viaConnector ? [] : destinationFactors(destination, options)),
      ...ruleFactors,
    ]
    if (kinds.includes('redirect')) {
      factors.push(
        riskFactor('no_copy_kept', 'Redirects: the original recipients never receive the message')
      )
    }
    if (kinds.includes('outbound_connector') && route) {
      const note = route.note ? `${route.note.startsWith('(') ? ' ' : ', '}${route.note}` : ''
      factors.push(
        riskFactor(
          'outbound_connector_route',
          `Routes mail through connector ${JSON.stringify(connector)}${note}`
        ),
        ...route.factors
      )
    }
    return {
      type: 'transport_rule',
      user: ORGANIZATION,
      destination,
      ruleName: rule.name,
      ruleId: rule.id,
      enabled: rule.enabled,
      hidden: false,
      actionKinds: kinds,
      conditions: rule.conditions.readable,
      ...(rule.exceptions.length > 0 ? { exceptions: rule.exceptions } : {}),
      actions: rule.actions.readable,
      factors,
    }
  })
}

function transportRuleFactors(
  rule: TransportRule,
  isInternalDomain: (domain: string) => boolean
): RiskFactor[] {
  const factors: RiskFactor[] = []
  const breadth = conditionBreadth(rule.conditions, isInternalDomain)
  if (rule.conditions.matchesAll) {
    factors.push(
      riskFactor(
        'match_all_forwarding',
        `Transport rule without conditions: it takes every message${exceptionsNote(rule.exceptions)}`
      )
    )
  } else if (breadth.matchesAll) {
    factors.push(
      riskFactor(
        'match_all_forwarding',
        `Transport rule whose conditions take (nearly) every message: ${breadth.broad.join('; ')}${exceptionsNote(rule.exceptions)}`
      )
    )
  }
  if (rule.organizationWide || breadth.matchesAll) {
    factors.push(riskFactor('organization_wide', 'Applies to mail of the whole organization'))
  }
  const catchAll = catchAllWords(rule.conditions.words)
  if (catchAll.length > 0) {
    factors.push(
      riskFactor(
        'broad_subject_match',
        `Catch-all condition words: ${catchAll.map((w) => JSON.stringify(w)).join(', ')}`
      )
    )
  }
  const keywords = sensitiveKeywordsIn(rule.conditions.words)
  if (keywords.length > 0) {
    factors.push(
      riskFactor('sensitive_keywords', `Conditions target sensitive mail: ${keywords.join(', ')}`)
    )
  }
  if (!rule.enabled) factors.push(riskFactor('disabled', 'Transport rule is disabled'))
  // A mode Exchange does not have is not known to be audit-only: it must not lower the score.
  if (rule.mode === 'Audit' || rule.mode === 'AuditAndNotify') {
    factors.push(
      riskFactor('audit_mode_only', `Mode is ${rule.mode}: matches are logged, not acted on`)
    )
  }
  return factors
}

function connectorDestination(connector: string): Destination {
  return {
    label: `connector:${connector}`,
    external: true,
    freemail: false,
    hiddenFromAddressLists: false,
    unresolved: false,
  }
}
