/**
 * Pull-request annotations: what the change introduces or raises, on its snapshot line, as an
 * error when it fails the gate and a warning when it does not; GitHub's 10 per level, the rest
 * counted; attacker text on one line with its controls made visible.
 */
import { describe, expect, it } from 'vitest'
import {
  applyBaseline,
  formatReport,
  gateAnnotations,
  MAX_ANNOTATIONS_PER_LEVEL,
  parseBaseline,
  snapshotLocator,
} from '../../core/index.ts'
import { audit, NOW, smtpTarget, tenant } from '../core/tenant-builder.ts'

const external = (i: number) => smtpTarget(`drop${i}@evil.example`)

describe('gateAnnotations', () => {
  it('annotates new and raised findings only, errors at fail-on and warnings below', async () => {
    const base = tenant()
      .mailbox('old@contoso.com')
      .inboxRule('old@contoso.com', { Name: 'old', ForwardTo: [external(0)] })
    const head = tenant()
      .mailbox('old@contoso.com')
      .inboxRule('old@contoso.com', { Name: 'old', ForwardTo: [external(0)] })
      .mailbox('new@contoso.com')
      .inboxRule('new@contoso.com', { Name: 'new', ForwardTo: [external(1)] })
      .mailbox('internal@contoso.com')
      .inboxRule('internal@contoso.com', {
        Name: 'to colleague',
        SubjectContainsWords: ['report'],
        ForwardTo: [smtpTarget('colleague@contoso.com')],
      })
    const report = await applyBaseline(
      await audit(head),
      parseBaseline(formatReport(await audit(base), 'json')),
      { request: { all_users: true } }
    )
    const internal = report.data.findings.find((f) => f.user === 'internal@contoso.com')!
    expect(internal.risk_level === 'high' || internal.risk_level === 'critical').toBe(false)
    const { annotations, omitted } = gateAnnotations(report, { failOn: 'high' })
    expect(annotations.map((a) => [a.finding.user, a.level])).toEqual([
      ['new@contoso.com', 'error'],
      ['internal@contoso.com', 'warning'],
    ])
    expect(omitted).toBe(0)
    expect(annotations[0]?.title).toMatch(/^forwarding-audit: new high inbox rule \(\d+\)$/)
    expect(annotations[0]?.message).toMatch(/New since the baseline\.$/)
  })

  it('without a baseline annotates every reported finding', async () => {
    const head = tenant()
      .mailbox('a@contoso.com')
      .inboxRule('a@contoso.com', { Name: 'r', ForwardTo: [external(1)] })
    const { annotations } = gateAnnotations(await audit(head), { failOn: 'high' })
    expect(annotations).toHaveLength(1)
    expect(annotations[0]?.title).toMatch(/^forwarding-audit: (critical|high) inbox rule \(\d+\)$/)
  })

  it('shows GitHub’s 10 per level and counts the rest', async () => {
    const head = tenant()
    for (let i = 0; i < 14; i++) {
      const upn = `u${i}@contoso.com`
      head.mailbox(upn).inboxRule(upn, { Name: `r${i}`, ForwardTo: [external(i)] })
    }
    const { annotations, omitted } = gateAnnotations(await audit(head), { failOn: 'high' })
    expect(annotations).toHaveLength(MAX_ANNOTATIONS_PER_LEVEL)
    expect(omitted).toBe(4)
  })

  it('puts each annotation on its rule’s snapshot line', async () => {
    const head = tenant()
      .mailbox('a@contoso.com')
      .inboxRule('a@contoso.com', { Name: 'Sync', ForwardTo: [external(1)] })
    const text = JSON.stringify(head.build(), null, 2)
    const locator = snapshotLocator(text)
    const { annotations } = gateAnnotations(await audit(head), {
      failOn: 'high',
      line: (f) => locator.line(f),
    })
    const line = text.split('\n').findIndex((l) => l.includes('"Name": "Sync"')) + 1
    expect(annotations[0]?.line).toBe(line)
  })

  it('keeps an attacker’s rule name on one line, its controls visible, out of the title', async () => {
    const name = 'x\n::error file=README.md,line=1::forged%0A\u001b[31m\u202Egnp.exe'
    const head = tenant()
      .mailbox('a@contoso.com')
      .inboxRule('a@contoso.com', { Name: name, ForwardTo: [external(1)] })
    const report = await applyBaseline(
      await audit(head),
      parseBaseline(JSON.stringify(tenant().build())),
      {
        request: { all_users: true },
        dependencies: { now: () => NOW },
      }
    )
    const [annotation] = gateAnnotations(report, { failOn: 'high' }).annotations
    expect(annotation?.message).not.toMatch(/[\n\r\u001b\u202E]/)
    expect(annotation?.message).toContain('x\\x0a::error file=README.md')
    expect(annotation?.message).toContain('\\u{202E}')
    expect(annotation?.title).not.toContain('::')
  })
})
