/**
 * @module analysis/heuristics
 * The peer tools' heuristic lists (see docs/risk-scoring.md for sources): sensitive keywords,
 * low-visibility folders in the languages Outlook ships, catch-all conditions, odd names.
 */

/** Stems matched inside condition words (lower-case): English, then European languages. */
export const SENSITIVE_KEYWORDS = [
  // finance (Elastic, CIPP, bitpusher, Sentinel BEC)
  'invoice',
  'payment',
  'wire',
  'transfer',
  'remittance',
  'bank',
  'iban',
  'swift',
  'ach',
  'routing',
  'account number',
  'beneficiary',
  'payroll',
  'w2',
  'w-2',
  'tax',
  'venmo',
  'zelle',
  'bitcoin',
  'crypto',
  'docusign',
  'purchase order',
  'quote',
  // credentials and security (Hawk, Elastic, Sentinel)
  'password',
  'credential',
  'verif',
  'mfa',
  'login',
  'sign-in',
  'security',
  'secure',
  'alert',
  'phish',
  'hack',
  'fraud',
  'suspicious',
  'compromise',
  'malware',
  'helpdesk',
  'do not click',
  'unusual',
  'reset',
  'confidential',
  'urgent',
  // German, French, Spanish, Italian, Dutch, Polish, Portuguese
  'rechnung',
  'zahlung',
  'überweisung',
  'bankverbindung',
  'kontonummer',
  'passwort',
  'kennwort',
  'sicherheit',
  'facture',
  'paiement',
  'virement',
  'mot de passe',
  'sécurité',
  'rib',
  'factura',
  'pago',
  'transferencia',
  'contraseña',
  'seguridad',
  'fattura',
  'pagamento',
  'bonifico',
  'factuur',
  'betaling',
  'overboeking',
  'wachtwoord',
  'faktura',
  'płatność',
  'przelew',
  'hasło',
  'fatura',
  'transferência',
  'senha',
]

/** Stems that are also ordinary words inside longer ones; they must match a whole word. */
const WHOLE_WORD = new Set(['ach', 'rib', 'tax', 'wire', 'pago', 'quote', 'alert', 'reset'])

/** The sensitive keywords that occur in any of `words`. */
export function sensitiveKeywordsIn(words: string[]): string[] {
  const hits = new Set<string>()
  for (const word of words) {
    const text = word.toLowerCase()
    for (const keyword of SENSITIVE_KEYWORDS) {
      const found = WHOLE_WORD.has(keyword)
        ? new RegExp(`(^|[^\\p{L}\\p{N}])${keyword}($|[^\\p{L}\\p{N}])`, 'u').test(text)
        : text.includes(keyword)
      if (found) hits.add(keyword)
    }
  }
  return [...hits]
}

/** Catch-all condition words: a space, a single character, NUL, a vowel with `;`. */
export function catchAllWords(words: string[]): string[] {
  return words.filter((word) => {
    const trimmed = word.replace(/\u0000/g, '').trim()
    return trimmed.length <= 1 || /^[aeiou];?$/i.test(trimmed) || word.includes('\u0000')
  })
}

const DELETED_ITEMS = [
  'deleted items',
  'deleteditems',
  'gelöschte elemente',
  'éléments supprimés',
  'elementos eliminados',
  'posta eliminata',
  'verwijderde items',
  'itens excluídos',
  'elementy usunięte',
  'borttagna objekt',
  'slettede elementer',
  'poistetut',
]

/** LETHAL-FORENSICS' localised low-visibility folder list, plus Graph well-known names. */
const HIDDEN_FOLDERS = [
  'rss feeds',
  'rss subscriptions',
  'rss-abonnements',
  'rss-feeds',
  'rss-feeder',
  'rss-syötteet',
  'rss-подписки',
  'sottoscrizioni rss',
  'rssfeeds',
  'conversation history',
  'conversationhistory',
  'verlauf der unterhaltung',
  'historique des conversations',
  'historial de conversaciones',
  'cronologia delle conversazioni',
  'gesprekgeschiedenis',
  'histórico de conversações',
  'konversationshistorik',
  'samtalehistorik',
  'samtalelogg',
  'archive',
  'archiv',
  'archiveren',
  'archivio',
  'archivo',
  'arkiv',
  'arkiver',
  'arquivo',
  'junk email',
  'junk e-mail',
  'junk-e-mail',
  'junkemail',
  'correo no deseado',
  'courrier indésirable',
  'posta indesiderata',
  'ongewenste e-mail',
  'e-mail de lixo',
  'skräppost',
  'søppelpost',
  'uønsket mail',
  'notes',
  'sync issues',
  'calendar',
]

/** The folder's own name from `user@x:\Parent\Folder`, `\Folder` or a bare name. */
export function folderName(path: string): string {
  const withoutMailbox = path.includes(':\\') ? path.slice(path.indexOf(':\\') + 2) : path
  const segments = withoutMailbox.split('\\').filter((s) => s.trim() !== '')
  return (segments.at(-1) ?? withoutMailbox).trim().toLowerCase()
}

/** Graph's well-known folder names (§1.8) for the folders the lists above name by language. */
const WELL_KNOWN_KINDS: Record<string, 'deleted_items' | 'hidden'> = {
  deleteditems: 'deleted_items',
  junkemail: 'hidden',
  archive: 'hidden',
  conversationhistory: 'hidden',
  syncissues: 'hidden',
}

/**
 * Which kind of folder a rule moves mail into. A well-known name decides whatever the mailbox's
 * language; a folder Graph marks hidden is one nobody sees; otherwise its name in any language.
 */
export function folderKind(
  path: string,
  traits: { wellKnownName?: string; hidden?: boolean } = {}
): 'deleted_items' | 'hidden' | 'ordinary' {
  const known = traits.wellKnownName ? WELL_KNOWN_KINDS[traits.wellKnownName] : undefined
  if (known) return known
  if (traits.hidden) return 'hidden'
  const name = folderName(path)
  if (DELETED_ITEMS.includes(name)) return 'deleted_items'
  if (HIDDEN_FOLDERS.includes(name)) return 'hidden'
  return 'ordinary'
}

const BUILT_IN_NAME = /^(junk e-?mail rule|microsoft\.exchange\.oof\..*)$/i
const DELEGATE_PROVIDER = /^schedule\+ ems interface$/i

/** Why a rule name looks wrong, or undefined when it does not. */
export function suspiciousNameReason(name: string): string | undefined {
  const trimmed = name.trim()
  if (trimmed === '') return 'the rule has no name'
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return `the name ${JSON.stringify(name)} is only punctuation`
  if (!/[\p{L}\p{N}]{2}/u.test(trimmed))
    return `the name ${JSON.stringify(name)} is a single character`
  if (BUILT_IN_NAME.test(trimmed))
    return `the name imitates the built-in rule ${JSON.stringify(name)}`
  return undefined
}

/**
 * Built-in rules Exchange makes itself. Only the delegate meeting-forward rule forwards, and
 * only inside the tenant; a junk or out-of-office rule with a forwarding target is not built in.
 */
export function isBuiltInRule(
  rule: { name: string; provider?: string },
  forwardsOnlyInternally: boolean
): boolean {
  return (
    rule.provider !== undefined && DELEGATE_PROVIDER.test(rule.provider) && forwardsOnlyInternally
  )
}
