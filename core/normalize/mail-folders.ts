/**
 * @module normalize/mail-folders
 * Graph names a rule's target folder only by id (`moveToFolder`, §1.3). A mailbox's folder list
 * (`GET /users/{id}/mailFolders`, §1.8) turns the id back into the folder's display name, its
 * well-known name when it is one, and whether it is hidden.
 */
import { many } from '../lib/lists.ts'
import type { FolderTraits } from '../model/tenant.ts'
import type { RawMailFolder } from './raw.ts'

export interface NamedFolder extends FolderTraits {
  name: string
}

/** Folder ids to what the folder is; `undefined` when the folders were not read. */
export type FolderIndex = Map<string, NamedFolder>

/** Index a mailbox's folders by id; the same folder listed twice keeps what each entry knew. */
export function folderIndex(
  folders: RawMailFolder | RawMailFolder[] | null | undefined
): FolderIndex | undefined {
  if (folders === null || folders === undefined) return undefined
  const index: FolderIndex = new Map()
  for (const folder of many(folders)) {
    const known = index.get(folder.id)
    const wellKnownName = folder.wellKnownName ?? known?.wellKnownName
    index.set(folder.id, {
      name: folder.displayName ?? known?.name ?? wellKnownName ?? folder.id,
      ...(wellKnownName ? { wellKnownName: wellKnownName.toLowerCase() } : {}),
      ...(folder.isHidden === true || known?.hidden ? { hidden: true } : {}),
    })
  }
  return index
}
