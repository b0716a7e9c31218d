/**
 * @module test/simulator/mail-folders
 * A mailbox's mail folders as Graph v1.0 lists them (docs/microsoft-apis.md §1.8): the snapshot
 * entry's `mailFolders`, else the folders every Exchange Online mailbox has, with stable ids.
 * `GET /users/{id}/mailFolders` lists the top-level ones (hidden ones only with
 * `includeHiddenFolders=true`, ten per page unless `$top` says otherwise); `/mailFolders/{id}`
 * takes an id or a well-known name. v1.0 has no `wellKnownName` property, so it is not sent.
 */
import { encodeToken, folderIdFrom } from './ids.ts'

export interface SimFolder {
  row: Record<string, unknown>
  wellKnownName?: string
}

const DEFAULTS: Array<[string, string | undefined]> = [
  ['Inbox', 'inbox'],
  ['Drafts', 'drafts'],
  ['Sent Items', 'sentitems'],
  ['Deleted Items', 'deleteditems'],
  ['Junk Email', 'junkemail'],
  ['Archive', 'archive'],
  ['Conversation History', 'conversationhistory'],
  ['Outbox', 'outbox'],
  ['RSS Feeds', undefined],
  ['Sync Issues', 'syncissues'],
]

/** The folders of one mailbox: from its snapshot entry, or the defaults. */
export function mailboxFolders(
  key: string,
  given: Record<string, unknown>[] | undefined
): SimFolder[] {
  const root = folderIdFrom(`${key}:msgfolderroot`)
  if (given) {
    return given.map((folder) => {
      const { wellKnownName, ...row } = folder
      return {
        row: { parentFolderId: root, isHidden: false, ...row },
        ...(typeof wellKnownName === 'string'
          ? { wellKnownName: wellKnownName.toLowerCase() }
          : {}),
      }
    })
  }
  return DEFAULTS.map(([displayName, wellKnownName]) => ({
    row: {
      id: folderIdFrom(`${key}:${displayName}`),
      displayName,
      parentFolderId: root,
      childFolderCount: 0,
      unreadItemCount: 0,
      totalItemCount: 0,
      sizeInBytes: 0,
      isHidden: false,
    },
    ...(wellKnownName ? { wellKnownName } : {}),
  }))
}

/** A folder by id or well-known name, as `/mailFolders/{folder}` finds it. */
export function findFolder(folders: SimFolder[], folder: string): SimFolder | undefined {
  const wanted = folder.toLowerCase()
  return folders.find((f) => f.row.id === folder || f.wellKnownName === wanted)
}

/** One page of the top-level list; `next` builds the nextLink for a page that is not the last. */
export function folderPage(
  folders: SimFolder[],
  query: URLSearchParams,
  next: (query: URLSearchParams) => string
): { value: Record<string, unknown>[]; nextLink?: string } {
  const hidden = query.get('includeHiddenFolders')?.toLowerCase() === 'true'
  const visible = folders.filter((f) => hidden || f.row.isHidden !== true)
  const top = Number(query.get('$top') ?? 10) || 10
  const skip = Number(query.get('$skip') ?? 0) || 0
  const select = query
    .get('$select')
    ?.split(',')
    .map((s) => s.trim())
  const value = visible.slice(skip, skip + top).map((f) => project(f.row, select))
  if (skip + top >= visible.length) return { value }
  const more = new URLSearchParams(query)
  more.set('$skip', String(skip + top))
  more.set('$skiptoken', encodeToken({ skip: skip + top }))
  return { value, nextLink: next(more) }
}

export function project(row: Record<string, unknown>, select: string[] | undefined) {
  if (!select) return row
  return Object.fromEntries(
    Object.entries(row).filter(([key]) => key === 'id' || select.includes(key))
  )
}
