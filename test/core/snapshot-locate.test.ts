/**
 * The snapshot locator: a finding's line in the snapshot file, so a pull-request annotation and
 * a code scanning alert land on the rule or mailbox a reviewer must look at.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type Finding, snapshotLocator } from '../../core/index.ts'
import { audit, graphRecipient, type Row, smtpTarget, tenant } from './tenant-builder.ts'

/** The 1-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string, from = 0): number {
  const index = text.indexOf(needle, from)
  if (index < 0) throw new Error(`${needle} is not in the text`)
  return text.slice(0, index).split('\n').length
}

const ALICE = 'alice@contoso.com'
const BOB = 'bob@contoso.com'
const CAROL = 'carol@contoso.com'

function builtTenant() {
  return tenant()
    .mailbox('zed@contoso.com')
    .mailbox(ALICE)
    .inboxRule(ALICE, { Name: 'Newsletter', MoveToFolder: 'News' })
    .inboxRule(ALICE, { Name: 'Partner copy', ForwardTo: [smtpTarget('partner@fabrikam.com')] })
    .mailbox(BOB, { ForwardingSmtpAddress: 'smtp:bob.home@gmail.com' })
    .mailbox(CAROL)
    .graphRule(CAROL, {
      displayName: 'Only in Graph',
      actions: { forwardTo: [graphRecipient('c@proton.me')] },
    })
    .transportRule({ Name: 'Journal', BlindCopyTo: ['archive@vault.example'] })
    .transportRule({ Name: 'Exfil', RedirectMessageTo: ['drop@evil.example'] })
}

async function located(
  text: string,
  request: unknown = { all_users: true, include_transport_rules: true }
) {
  const report = await audit(JSON.parse(text), request)
  const locator = snapshotLocator(text)
  const at = (user: string, predicate: (f: Finding) => boolean = () => true) => {
    const finding = report.data.findings.find((f) => f.user === user && predicate(f))
    if (!finding) throw new Error(`no finding for ${user}`)
    return locator.line(finding)
  }
  return { report, locator, at }
}

describe('snapshotLocator', () => {
  const text = JSON.stringify(builtTenant().build(), null, 2)

  it('an inbox rule is found on its Name line', async () => {
    const { at } = await located(text)
    expect(at(ALICE)).toBe(lineOf(text, '"Name": "Partner copy"'))
  })

  it('a Graph-only rule is found on its displayName line', async () => {
    const { at } = await located(text)
    expect(at(CAROL)).toBe(lineOf(text, '"displayName": "Only in Graph"'))
  })

  it('mailbox forwarding is found on the ForwardingSmtpAddress line', async () => {
    const { at } = await located(text)
    expect(at(BOB)).toBe(lineOf(text, '"ForwardingSmtpAddress": "smtp:bob.home@gmail.com"'))
  })

  it('each transport rule is found on its own Name line', async () => {
    const { at } = await located(text)
    expect(at('organization', (f) => f.rule_name === 'Exfil')).toBe(lineOf(text, '"Name": "Exfil"'))
    expect(at('organization', (f) => f.rule_name === 'Journal')).toBe(
      lineOf(text, '"Name": "Journal"')
    )
  })

  it('a mailbox the snapshot does not hold has no line', () => {
    const locator = snapshotLocator(text)
    expect(
      locator.line({ type: 'inbox_rule', user: 'nobody@contoso.com', rule_name: 'x' })
    ).toBeUndefined()
  })

  it('a rule it cannot name falls back to the mailbox’s UserPrincipalName line', () => {
    const locator = snapshotLocator(text)
    expect(locator.line({ type: 'inbox_rule', user: ALICE, rule_name: 'renamed since' })).toBe(
      lineOf(text, `"UserPrincipalName": "${ALICE}"`)
    )
  })

  it('reads lists written as bare objects, as ConvertTo-Json writes one-element lists', async () => {
    const snapshot = tenant()
      .mailbox(ALICE)
      .inboxRule(ALICE, { Name: 'Only rule', ForwardTo: [smtpTarget('x@gmail.com')] })
      .transportRule({ Name: 'Sole', RedirectMessageTo: ['drop@evil.example'] })
      .build()
    const entry = snapshot.mailboxes[0]!
    entry.exchangeInboxRules = (entry.exchangeInboxRules as Row[])[0]
    snapshot.transportRules = (snapshot.transportRules as Row[])[0]
    const bare = JSON.stringify(snapshot, null, 2)
    const { at } = await located(bare)
    expect(at(ALICE)).toBe(lineOf(bare, '"Name": "Only rule"'))
    expect(at('organization')).toBe(lineOf(bare, '"Name": "Sole"'))
  })

  it('counts lines the same in UTF-16 with a BOM and CRLF line ends, as Windows PowerShell writes', async () => {
    const crlf = `\ufeff${text.replaceAll('\n', '\r\n')}`
    const bytes = new Uint8Array(crlf.length * 2)
    for (let i = 0; i < crlf.length; i++) {
      bytes[2 * i] = crlf.charCodeAt(i) & 0xff
      bytes[2 * i + 1] = crlf.charCodeAt(i) >> 8
    }
    const { report } = await located(text)
    const plain = snapshotLocator(text)
    const windows = snapshotLocator(bytes)
    for (const finding of report.data.findings) {
      expect(windows.line(finding)).toBe(plain.line(finding))
    }
  })

  it('places every finding of the demo tenant on a line that names its rule or its forwarding', async () => {
    const demo = readFileSync('demo/contoso-tenant.json', 'utf8')
    const lines = demo.split('\n')
    const { report, locator } = await located(demo, {
      all_users: true,
      include_transport_rules: true,
      flag_freemail: true,
    })
    expect(report.data.findings.length).toBeGreaterThan(10)
    for (const finding of report.data.findings) {
      const line = locator.line(finding)
      expect(line, `${finding.user} → ${finding.destination}`).toBeDefined()
      const text = lines[(line as number) - 1] ?? ''
      const name = JSON.stringify(finding.rule_name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      const expected =
        finding.type === 'smtp_forwarding'
          ? /"Forwarding(Smtp)?Address"/
          : new RegExp(`"(Name|displayName)": ${name}`)
      expect(text, `${finding.user} → ${finding.destination}`).toMatch(expected)
    }
  })
})
