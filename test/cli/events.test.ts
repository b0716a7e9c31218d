/**
 * `forwarding-audit events FILE` end to end: a real process reads an audit-log export in each
 * shape real exports have and reports its forwarding changes with the audit's formats, flags
 * and exit statuses.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { oneCleanLine, runCli } from './run-cli.ts'

const FIXTURES = 'test/fixtures/audit-log'
const dir = mkdtempSync(join(tmpdir(), 'fa-events-'))
const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const lines = readFileSync(`${FIXTURES}/records.jsonl`, 'utf8').trim().split('\n')

describe('events FILE', () => {
  it.each([
    ['search-unifiedauditlog.csv', ['megan.b.home@proton.me', 'ap.northwind@gmail.com']],
    ['convertto-json.json', ['diego.archive@outlook.com', 'lynne.r@fabrikam.example']],
    ['records.jsonl', ['collect@mail-drop.example', 'joni.sherman@yahoo.com']],
    [
      'graph-audit-records.json',
      [
        'journal@archive-svc.example',
        'relay@partner-mailhub.example',
        'retention@securemail-archive.example',
      ],
    ],
  ])('reports the forwarding changes in %s as a table', (file, destinations) => {
    const { status, stdout, stderr } = runCli(['events', `${FIXTURES}/${file}`])
    expect(stderr).toBe('')
    expect(status).toBe(0)
    expect(stdout).toMatch(/^LEVEL\s+SCORE\s+TYPE\s+MAILBOX\s+DESTINATION/m)
    for (const destination of destinations) expect(stdout).toContain(destination)
    expect(stdout).toContain(`Sources: ${FIXTURES}/${file}`)
  })

  it('writes the same JSON envelope as an audit, named after the log’s tenant', () => {
    const out = join(dir, 'events.json')
    const { status } = runCli(['events', `${FIXTURES}/records.jsonl`, '--output', out])
    expect(status).toBe(0)
    const report = JSON.parse(readFileSync(out, 'utf8'))
    expect(Object.keys(report).sort()).toEqual(['data', 'meta'])
    expect(report.meta.tenant).toBe('northwindtraders.onmicrosoft.com')
    const sprayed = report.data.findings.filter((f: { risk_factors: { category: string }[] }) =>
      f.risk_factors.some((factor) => factor.category === 'forwarding_spray')
    )
    expect(sprayed).toHaveLength(3)
    expect(report.data.summary.request).toMatchObject({
      all_users: true,
      include_transport_rules: true,
    })
  })

  it('exits 1 with --fail-on when the log holds an attack, 0 when it holds only benign changes', () => {
    const attack = runCli(['events', `${FIXTURES}/records.jsonl`, '--fail-on', 'high'])
    expect(attack.status).toBe(1)
    expect(attack.stderr).toMatch(/finding\(s\) at or above --fail-on high/)
    // The admin clearing a forward and Microsoft's own change: nothing forwards.
    const benign = write('benign.jsonl', `${lines[3]}\n${lines[5]}\n`)
    const clean = runCli(['events', benign, '--fail-on', 'low', '--format', 'json'])
    expect(clean.status).toBe(0)
    expect(JSON.parse(clean.stdout).data.findings).toEqual([])
  })

  it('--user narrows the report to one mailbox', () => {
    const { status, stdout } = runCli([
      'events',
      `${FIXTURES}/records.jsonl`,
      '--user',
      'nestorw@northwindtraders.com',
      '--format',
      'json',
    ])
    expect(status).toBe(0)
    const users = JSON.parse(stdout).data.findings.map((f: { user: string }) => f.user)
    expect(users).toEqual(['nestorw@northwindtraders.com'])
  })

  it('never lets a rule name from the log drive the terminal', () => {
    const record = JSON.parse(lines[4] as string)
    record.OperationProperties[0].Value = '\u001b[2J\u001b[31mAuto'
    const file = write('escape.jsonl', `${JSON.stringify(record)}\n`)
    const { status, stdout } = runCli(['events', file])
    expect(status).toBe(0)
    expect(stdout).toContain('joni.sherman@yahoo.com')
    expect(stdout).not.toContain('\u001b')
  })
})

describe('events: bad input exits 2 with one line that names what to fix', () => {
  it.each<[string[], RegExp]>([
    [['events'], /events needs the audit-log export to read: forwarding-audit events FILE/],
    [['events', join(dir, 'missing.csv')], /events FILE .*missing.csv does not exist/],
    [['events', `${FIXTURES}/records.jsonl`, 'more'], /unexpected argument "more"/],
    [
      ['events', `${FIXTURES}/records.jsonl`, '--snapshot', 'x.json'],
      /--snapshot does not apply to events/,
    ],
    [['events', `${FIXTURES}/records.jsonl`, '--tenant-id', 'x'], /--tenant-id does not apply/],
    // Flags that tune reading a live tenant would be silently ignored: refused instead.
    ...['--deadline', '--concurrency', '--batch', '--audit-log-days'].map(
      (flag): [string[], RegExp] => [
        ['events', `${FIXTURES}/records.jsonl`, flag, '5'],
        new RegExp(`${flag} does not apply to events`),
      ]
    ),
    [
      ['events', `${FIXTURES}/records.jsonl`, '--hidden-sweep', 'changed'],
      /--hidden-sweep does not apply/,
    ],
    [['events', `${FIXTURES}/records.jsonl`, '--baseline', 'b.json'], /--baseline does not apply/],
  ])('%j', (args, message) => {
    const { status, stderr } = runCli(args)
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(message)
  })

  it('a file that is not an audit-log export says which exports are', () => {
    const file = write('notes.txt', 'these are my notes\n')
    const { status, stderr } = runCli(['events', file])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(/not an audit-log export.*Search-UnifiedAuditLog/)
  })

  it('a JSON-lines export with a broken line names the line', () => {
    const file = write('broken.jsonl', `${lines[0]}\n{"Operation": \n`)
    const { status, stderr } = runCli(['events', file])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(/broken.jsonl line 2 is not valid JSON/)
  })
})
