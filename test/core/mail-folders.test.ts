/**
 * Rules read from Graph alone name the folder they move mail to by id (docs/microsoft-apis.md
 * §1.3). A snapshot's optional `mailFolders` per mailbox (Graph's folder list, §1.8) names them,
 * so "moves to RSS Feeds / Conversation History / Archive / Junk / Deleted Items" fire for such
 * rules too; a well-known name decides whatever the mailbox's language.
 */
import { describe, expect, it } from 'vitest'
import { audit, categoriesOf, graphRecipient, onlyFinding, tenant } from './tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const folder = (id: string, displayName: string, extra: Record<string, unknown> = {}) => ({
  id,
  displayName,
  parentFolderId: 'AAMkADroot',
  childFolderCount: 0,
  unreadItemCount: 0,
  totalItemCount: 0,
  isHidden: false,
  ...extra,
})
const RSS = 'AAMkADg1ZTMzN2RhLTRmNzctNDk2Zi04RSS'
const DELETED = 'AAMkADg1ZTMzN2RhLTRmNzctNDk2Zi04DEL'
const SECRET = 'AAMkADg1ZTMzN2RhLTRmNzctNDk2Zi04SEC'

/** Alex's mailbox read through Graph only: one forwarding rule that files the mail away. */
function graphOnly(moveTo: string, folders?: Record<string, unknown>[]) {
  const builder = tenant()
    .mailbox(ALEX)
    .graphRule(ALEX, {
      displayName: 'Invoices',
      conditions: { subjectContains: ['invoice'] },
      actions: {
        forwardTo: [graphRecipient('ap@fabrikam.com')],
        moveToFolder: moveTo,
        stopProcessingRules: true,
      },
    })
  return folders ? builder.mailFolders(ALEX, folders) : builder
}

describe('a Graph-only rule that moves mail to a folder id', () => {
  it('with mailFolders naming RSS Feeds moves to a hidden folder, and says which', async () => {
    const finding = await onlyFinding(graphOnly(RSS, [folder(RSS, 'RSS Feeds')]))
    expect(categoriesOf(finding)).toContain('moves_to_hidden_folder')
    expect(finding.actions).toContain("move to folder 'RSS Feeds'")
  })

  it('to the well-known deleteditems folder moves to Deleted Items in any language', async () => {
    const finding = await onlyFinding(
      graphOnly(DELETED, [folder(DELETED, '削除済みアイテム', { wellKnownName: 'deleteditems' })])
    )
    expect(categoriesOf(finding)).toContain('moves_to_deleted_items')
  })

  it('to a folder Graph marks hidden moves to a hidden folder whatever its name', async () => {
    const finding = await onlyFinding(
      graphOnly(SECRET, [folder(SECRET, 'Projects', { isHidden: true })])
    )
    expect(finding.risk_factors.find((f) => f.category === 'moves_to_hidden_folder')).toMatchObject(
      {
        description: 'Moves matching mail to the hidden folder "Projects"',
      }
    )
  })

  it('to an ordinary folder adds nothing', async () => {
    const finding = await onlyFinding(graphOnly(RSS, [folder(RSS, 'Vendors')]))
    expect(categoriesOf(finding)).not.toContain('moves_to_hidden_folder')
    expect(categoriesOf(finding)).not.toContain('moves_to_deleted_items')
  })

  it('without mailFolders keeps the id, and the summary counts the mailboxes left unnamed', async () => {
    const snapshot = graphOnly(RSS).mailbox('b.schulz@contoso.com')
    snapshot.graphRule('b.schulz@contoso.com', {
      displayName: 'Copy',
      actions: { forwardTo: [graphRecipient('b@fabrikam.com')], moveToFolder: DELETED },
    })
    const report = await audit(snapshot)
    expect(report.data.findings.flatMap((f) => f.actions)).toContain(`move to folder '${RSS}'`)
    // Graph's view alone also cannot show hidden rules, which the summary says too.
    expect(report.data.summary.incomplete_reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rule folders not named: .* \(2 mailboxes\)$/),
      ])
    )
  })

  it('an id the list lacks stays an id, and is a gap too', async () => {
    const report = await audit(graphOnly(SECRET, [folder(RSS, 'RSS Feeds')]))
    expect(report.data.summary.incomplete_reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/^rule folders not named: /)])
    )
  })
})

describe('with Get-InboxRule’s view', () => {
  it('Exchange names the folder itself: no folder list is needed', async () => {
    const report = await audit(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Invoices',
          SubjectContainsWords: ['invoice'],
          ForwardTo: ['"AP" [SMTP:ap@fabrikam.com]'],
          MoveToFolder: `${ALEX}:\\RSS Feeds`,
        })
        .graphRule(ALEX, {
          displayName: 'Invoices',
          actions: { forwardTo: [graphRecipient('ap@fabrikam.com')], moveToFolder: RSS },
        })
    )
    expect(categoriesOf(report.data.findings[0]!)).toContain('moves_to_hidden_folder')
    expect(report.data.summary.complete).toBe(true)
  })
})
