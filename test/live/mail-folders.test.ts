/**
 * Naming the folders that rules read from Graph alone move mail to, live: Graph's mail folders
 * (docs/microsoft-apis.md §1.8) through the real Graph SDK against the simulator, only for the
 * mailboxes that need it, one request at a time per mailbox, and never without saying so when
 * the app lacks Mail.ReadBasic.All.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { runAudit, type TenantSnapshot } from '../../core/index.ts'
import { folderIndex } from '../../core/normalize/mail-folders.ts'
import { forwardingRules } from '../../core/normalize/mailbox-rules.ts'
import type { RawGraphMessageRule } from '../../core/normalize/raw.ts'
import { nameRuleFolders } from '../../core/sources/live/mail-folders.ts'
import type { SnapshotMailboxEntry } from '../../core/sources/snapshot/schema.ts'
import { graphRecipient, tenant } from '../core/tenant-builder.ts'
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  testCaFromEnv,
} from '../simulator/index.ts'
import { connectSimulator } from './connect-simulator.ts'

const ALEX = 'alex.wilber@contoso.com'
const BEN = 'b.schulz@contoso.com'
const CAROL = 'c.dubois@contoso.com'
const ROOT = 'AAMkADk0MGFiNWU0LWRvb3Q='
const RSS = 'AAMkADk0MGFiNWU0LXJzc2ZlZWRz'
const DELETED = 'AAMkADk0MGFiNWU0LWRlbGV0ZWQ='
const GRAPH_ROLES = ['User.Read.All', 'MailboxSettings.Read', 'Mail.ReadBasic.All']

const folder = (id: string, displayName: string, wellKnownName?: string) => ({
  id,
  displayName,
  parentFolderId: ROOT,
  childFolderCount: 0,
  unreadItemCount: 0,
  totalItemCount: 0,
  isHidden: false,
  ...(wellKnownName ? { wellKnownName } : {}),
})

const rule = (upn: string, moveToFolder: string): RawGraphMessageRule => ({
  id: `AQAAAJ5d${upn.length}Zp8=`,
  displayName: 'Invoices',
  isEnabled: true,
  conditions: { subjectContains: ['invoice'] },
  actions: { forwardTo: [graphRecipient('ap@fabrikam.com')], moveToFolder },
})

/** The folders every mailbox has, named in `names`' language, well-known ones marked. */
const folders = (names: [string, string, string, string, string]) => [
  folder(RSS, names[0]),
  folder(DELETED, names[1], 'deleteditems'),
  folder('AAMkADk0MGFiNWU0LWp1bms=', names[2], 'junkemail'),
  folder('AAMkADk0MGFiNWU0LWNvbnY=', names[3], 'conversationhistory'),
  folder('AAMkADk0MGFiNWU0LWFyY2g=', names[4], 'archive'),
]

/** Alex files forwarded invoices in RSS Feeds, Ben in Deleted Items (named in Japanese). */
const snapshot = () =>
  tenant()
    .mailbox(ALEX)
    .graphRule(ALEX, rule(ALEX, RSS) as never)
    .mailFolders(
      ALEX,
      folders(['RSS Feeds', 'Deleted Items', 'Junk Email', 'Conversation History', 'Archive'])
    )
    .mailbox(BEN)
    .graphRule(BEN, rule(BEN, DELETED) as never)
    .mailFolders(
      BEN,
      folders(['RSS フィード', '削除済みアイテム', '迷惑メール', '会話の履歴', 'アーカイブ'])
    )
    // A mailbox without some well-known folders: their lookups fail, the chain goes on.
    .mailbox(CAROL)
    .graphRule(CAROL, rule(CAROL, DELETED) as never)
    .mailFolders(CAROL, [
      folder(DELETED, 'Deleted Items', 'deleteditems'),
      folder(RSS, 'RSS Feeds'),
    ])
    .build() as unknown as TenantSnapshot

/** What a reader that read only Graph's rules holds for each mailbox. */
const graphOnlyEntries = (): SnapshotMailboxEntry[] => [
  { mailbox: { UserPrincipalName: ALEX }, graphInboxRules: [rule(ALEX, RSS)] },
  { mailbox: { UserPrincipalName: BEN }, graphInboxRules: [rule(BEN, DELETED)] },
]

let sim: Simulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function simulate(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({ tenant: snapshot(), ca: testCaFromEnv(), ...options })
  return sim
}

describe('naming rule folders from Graph', () => {
  it('lists the folders of the mailboxes that need it, and resolves well-known ones by name', async () => {
    const s = await simulate({ app: { graphRoles: GRAPH_ROLES } })
    const entries = graphOnlyEntries()
    const warnings = await nameRuleFolders(connectSimulator(s).graph, entries)
    expect(warnings).toEqual([[], []])
    const [alex, ben] = entries.map((entry) =>
      forwardingRules(
        undefined,
        entry.graphInboxRules as RawGraphMessageRule[],
        folderIndex(entry.mailFolders)
      )
    )
    expect(alex?.[0]?.actions.moveToFolder).toBe('RSS Feeds')
    expect(ben?.[0]?.actions).toMatchObject({
      moveToFolder: '削除済みアイテム',
      moveToFolderTraits: { wellKnownName: 'deleteditems' },
    })
    // One $batch: per mailbox the list and four well-known folders, one at a time (§4.1).
    expect(s.requests.batchSizes.graph).toEqual({ '10': 1 })
    expect(s.requests.byRoute).toMatchObject({ mailFolders: 2, mailFolder: 8 })
    expect(Math.max(...Object.values(s.requests.maxConcurrency.byMailbox))).toBe(1)
  })

  it('a mailbox without some well-known folders still gets the others', async () => {
    const s = await simulate({ app: { graphRoles: GRAPH_ROLES } })
    const entries: SnapshotMailboxEntry[] = [
      { mailbox: { UserPrincipalName: CAROL }, graphInboxRules: [rule(CAROL, DELETED)] },
    ]
    expect(await nameRuleFolders(connectSimulator(s).graph, entries)).toEqual([[]])
    expect(folderIndex(entries[0]?.mailFolders)?.get(DELETED)).toEqual({
      name: 'Deleted Items',
      wellKnownName: 'deleteditems',
    })
  })

  it('asks nothing for mailboxes whose rules Exchange named, or that move nothing', async () => {
    const s = await simulate({ app: { graphRoles: GRAPH_ROLES } })
    const entries: SnapshotMailboxEntry[] = [
      { ...graphOnlyEntries()[0]!, exchangeInboxRules: [] },
      {
        mailbox: { UserPrincipalName: BEN },
        graphInboxRules: [{ ...rule(BEN, DELETED), actions: {} }],
      },
    ]
    await nameRuleFolders(connectSimulator(s).graph, entries)
    expect(s.requests.total).toBe(0)
  })

  it('without Mail.ReadBasic.All leaves the ids and says what to grant', async () => {
    const s = await simulate()
    const entries = graphOnlyEntries()
    const warnings = await nameRuleFolders(connectSimulator(s).graph, entries)
    expect(warnings.flat()).toEqual([
      expect.stringMatching(/^rule folders not named: .*Mail\.ReadBasic\.All/),
      expect.stringMatching(/^rule folders not named: .*Mail\.ReadBasic\.All/),
    ])
    expect(entries.map((e) => e.mailFolders)).toEqual([undefined, undefined])
  })
})

describe('a live audit', () => {
  it('reads Get-InboxRule, which names folders by path: no folder request at all', async () => {
    const s = await simulate({ app: { graphRoles: GRAPH_ROLES } })
    const report = await runAudit({ all_users: true }, connectSimulator(s).source)
    const alex = report.data.findings.find((f) => f.user === ALEX)
    expect(alex?.actions).toContain(`move to folder '${ALEX}:\\RSS Feeds'`)
    expect(alex?.risk_factors.map((r) => r.category)).toContain('moves_to_hidden_folder')
    expect(s.requests.byRoute.mailFolder).toBeUndefined()
    expect(s.requests.byRoute.mailFolders).toBeUndefined()
  })
})
