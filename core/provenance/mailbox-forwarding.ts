/**
 * @module provenance/mailbox-forwarding
 * Which Set-Mailbox records made a mailbox's forwarding as it is now. They join by parameter
 * and value: the forwarding to X was made by the earliest record that set X after the last
 * one that set something else or cleared it (`ForwardingAddress: ""`), so a change to another
 * address, earlier or later, never dates the current one (docs/microsoft-apis.md 6.2).
 */
import type { Candidate } from '../analysis/candidate.ts'
import type { AuditRecord, Mailbox } from '../model/tenant.ts'
import { stripSmtpPrefix } from '../normalize/recipients.ts'
import { type History, parameter, touchesForwarding } from './operations.ts'

/** A forwarding value as compared: no `smtp:` prefix, lower case; "" means cleared. */
export const forwardingValue = (value: string) => stripSmtpPrefix(value.trim()).toLowerCase()

/**
 * Where a typed forwarding value leads, as the finding's destination label: Set-Mailbox logs
 * what the admin typed (`-ForwardingAddress` takes any of a recipient's names), Get-Mailbox
 * shows one canonical name.
 */
export type ForwardingTarget = (
  field: 'ForwardingAddress' | 'ForwardingSmtpAddress',
  value: string
) => string | undefined

/**
 * The history of a mailbox forwarding finding, from the mailbox's Set-Mailbox records. A
 * forward an audit log shows set and later cleared (`candidate.endedAt`, `events`) is dated by
 * the run that ended then, its ending record included.
 */
export function forwardingEpisode(
  records: AuditRecord[],
  candidate: Candidate,
  mailbox: Mailbox,
  target?: ForwardingTarget
): History {
  const kind = candidate.actionKinds.includes('forwarding_address')
    ? 'forwarding_address'
    : 'forwarding_smtp_address'
  const field = kind === 'forwarding_address' ? 'ForwardingAddress' : 'ForwardingSmtpAddress'
  const ended = candidate.endedAt
    ? mailbox.endedForwarding?.find((e) => e.kind === kind && e.endedAt === candidate.endedAt)
    : undefined
  const current = ended
    ? ended.target
    : field === 'ForwardingAddress'
      ? mailbox.forwardingAddress
      : mailbox.forwardingSmtpAddress
  const values = new Set(
    [current, candidate.destination.address].filter((v): v is string => !!v).map(forwardingValue)
  )
  // The same recipient by another of its names (alias, address, GUID) is the same forward.
  const accepted = {
    has: (value: string) =>
      values.has(value) ||
      (value !== '' &&
        target !== undefined &&
        target(field, value) === candidate.destination.label),
  }
  let episode: AuditRecord[] = []
  let valueSeen = false
  for (const record of records) {
    const value = parameter(record, field)
    if (value !== undefined) {
      valueSeen = true
      if (!accepted.has(forwardingValue(value))) {
        // The record that ended the forward this finding is about: the run is its history.
        if (ended && episode.length > 0 && record.time === ended.endedAt) {
          return dated([...episode, record], episode.length)
        }
        episode = []
      } else if (episode.length === 0) episode = [record]
      else episode.push(record)
    } else if (episode.length > 0 && touchesForwarding(record)) {
      episode.push(record)
    }
  }
  if (ended || episode.length === 0)
    return { records: [], ...(valueSeen ? { unrecorded: true } : {}) }
  return dated(episode, episode.length)
}

/** The run's first record made it; its last change among the first `open` is `modified`. */
function dated(records: AuditRecord[], open: number): History {
  const [created, ...later] = records.slice(0, open)
  if (!created) return { records: [] }
  const modified = later.at(-1)
  return { records, created, ...(modified ? { modified } : {}) }
}
