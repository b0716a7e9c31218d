/**
 * @module analysis/breadth
 * How much mail a condition can match. An attacker who wants every message but not the
 * `match_all_forwarding` points writes a condition that is true for (nearly) every message:
 * header contains `Received`, size at least 1 byte, importance Normal, "my name is in To or
 * Cc", a one- or two-letter subject word, a sender containing `@` or `.com`, a pattern like
 * `.*`. Such a condition does not narrow a rule. The rules are in docs/risk-scoring.md.
 */
import { parse } from 'tldts'
import type { Predicate, RuleConditions } from '../model/tenant.ts'

/** Text found in the headers of (nearly) every message Exchange Online delivers, lower-case. */
const UBIQUITOUS_HEADER_TEXT = [
  'received: from',
  'received: by',
  'return-path: <',
  'message-id: <',
  'mime-version: 1.0',
  'content-type: text/plain; charset="utf-8"',
  'content-type: multipart/alternative',
  'content-transfer-encoding: quoted-printable',
  'date: mon, tue, wed, thu, fri, sat, sun',
  'subject: ',
  'from: ',
  'to: ',
  'x-ms-exchange-organization-authas: anonymous',
  'x-ms-exchange-crosstenant-originalarrivaltime',
  'x-ms-exchange-transport-endtoendlatency',
  'x-ms-has-attach',
  'x-ms-tnef-correlator',
  'x-ms-publictraffictype: email',
  'x-microsoft-antispam: bcl:0;',
  'authentication-results: spf=pass dkim=pass dmarc=pass',
  'received-spf: pass',
  'with microsoft smtp server (version=tls1_2, cipher=tls_ecdhe_rsa_with_aes_256_gcm_sha384) id 15.20',
  'protection.outlook.com',
  'prod.outlook.com',
  'esmtps id',
]

/** Messages this small or smaller are all but nonexistent: Exchange Online's own headers pass 4 KB. */
const TINY_MESSAGE_BYTES = 4096
/** Messages this large or larger are rare: a maximum this high excludes (nearly) nothing. */
const HUGE_MESSAGE_BYTES = 10 * 1024 * 1024

/** Unrelated sample texts per kind: a pattern that matches all of them matches (nearly) any. */
const PROBES: Record<string, string[]> = {
  subject_patterns: ['Re: Q3 figures', 'hello', 'Z'],
  header_patterns: ['Received: from mail.example.com', 'Subject: hello', 'To: a@b.example'],
  sender_patterns: ['someone@example.com', 'z.q@mail.example.org'],
  recipient_patterns: ['someone@example.com', 'z.q@mail.example.org'],
}

/** Why a condition matches (nearly) every message, or undefined when it narrows the rule. */
export function broadReason(
  predicate: Predicate,
  isInternalDomain: (domain: string) => boolean
): string | undefined {
  const values = predicate.values.map((v) =>
    v
      .replace(/\u0000/g, '')
      .trim()
      .toLowerCase()
  )
  const any = (test: (value: string) => boolean) => values.find(test)
  const short = (v: string) => [...v].length <= 2
  const punctuation = (v: string) => !/[\p{L}\p{N}]/u.test(v)
  switch (predicate.kind) {
    case 'subject_words': {
      const word = any((v) => short(v) || punctuation(v))
      return word === undefined
        ? undefined
        : `the word ${JSON.stringify(word)} is in nearly every message`
    }
    case 'header_words': {
      const word = any(
        (v) => short(v) || punctuation(v) || UBIQUITOUS_HEADER_TEXT.some((h) => h.includes(v))
      )
      return word === undefined
        ? undefined
        : `${JSON.stringify(word)} is in the headers of every message`
    }
    case 'sender_words':
    case 'recipient_words':
    case 'sender_domain':
    case 'recipient_domain': {
      const recipients = predicate.kind.startsWith('recipient')
      const word = any(
        (v) =>
          short(v) ||
          punctuation(v) ||
          isSuffix(v) ||
          (recipients && isInternalDomain(v.replace(/^.*@/, '').replace(/^\./, '')))
      )
      if (word === undefined) return undefined
      return `${JSON.stringify(word)} is in nearly every ${recipients ? 'recipient' : 'sender'} address`
    }
    case 'subject_patterns':
    case 'header_patterns':
    case 'sender_patterns':
    case 'recipient_patterns': {
      const probes = PROBES[predicate.kind] ?? []
      const pattern = predicate.values.find((p) => matchesAnything(p, probes))
      return pattern === undefined
        ? undefined
        : `the pattern ${JSON.stringify(pattern)} matches any text`
    }
    case 'size_min': {
      const bytes = Number(values[0])
      return values[0] !== '' && Number.isFinite(bytes) && bytes <= TINY_MESSAGE_BYTES
        ? `every message is larger than ${bytes} bytes`
        : undefined
    }
    case 'size_max': {
      const bytes = Number(values[0])
      return values[0] !== '' && Number.isFinite(bytes) && bytes >= HUGE_MESSAGE_BYTES
        ? `nearly every message is smaller than ${bytes} bytes`
        : undefined
    }
    case 'importance':
      return values.includes('normal') || values.includes('1')
        ? 'nearly every message has Normal importance'
        : undefined
    case 'to_me':
      return 'nearly every message to a mailbox names it in To or Cc'
    case 'scope':
      return 'it covers a whole direction of mail'
    default:
      return undefined
  }
}

/**
 * The conditions that do not narrow a rule, and whether the rule, all its conditions holding
 * together, still takes (nearly) every message.
 */
export function conditionBreadth(
  conditions: RuleConditions,
  isInternalDomain: (domain: string) => boolean
): { matchesAll: boolean; broad: string[]; narrowing: number } {
  if (conditions.matchesAll) return { matchesAll: true, broad: [], narrowing: 0 }
  const predicates = conditions.predicates
  // A source that gives no predicates (older data): only "no condition" is match-all.
  if (!predicates || predicates.length === 0) return { matchesAll: false, broad: [], narrowing: 1 }
  const broad: string[] = []
  let narrowing = 0
  for (const predicate of predicates) {
    // A direction (all mail from outside, all mail to inside) names nobody: half of all mail
    // to an attacker is not "narrowed", so a rule with only these takes every message of it.
    const reason =
      predicate.kind === 'scope'
        ? 'a whole direction of mail, nobody in particular'
        : broadReason(predicate, isInternalDomain)
    if (reason) broad.push(`${predicate.line} (${reason})`)
    else narrowing++
  }
  return { matchesAll: narrowing === 0 && broad.length > 0, broad, narrowing }
}

/**
 * What a match-all factor adds about the rule's exceptions. An exception is written by whoever
 * wrote the rule: one that names mail nobody sends ("subject contains 'zq-7'") would otherwise
 * buy back the match-all points, so exceptions never narrow a rule's score; the factor says
 * which ones it has, so no report calls such a rule one that takes "all mail" unqualified.
 */
export function exceptionsNote(exceptions: readonly string[]): string {
  return exceptions.length === 0 ? '' : `; except if ${exceptions.join(' or ')}`
}

/** `com`, `.co.uk`, `@net`: a public suffix matches every address under it. */
function isSuffix(value: string): boolean {
  const bare = value.replace(/^[@.]+/, '')
  if (bare === '' || bare.includes('@')) return false
  const parsed = parse(`x.${bare}`)
  return parsed.isIcann === true && parsed.publicSuffix === bare
}

/** True when a regular expression matches the empty string or every probe. */
function matchesAnything(pattern: string, probes: string[]): boolean {
  let regex: RegExp
  try {
    regex = new RegExp(pattern, 'i')
  } catch {
    return false
  }
  return regex.test('') || probes.every((probe) => regex.test(probe))
}
