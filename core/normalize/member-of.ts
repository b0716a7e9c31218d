/**
 * @module normalize/member-of
 * Graph `transitiveMemberOf` directory objects to GroupRef: the groups only (directory roles and
 * administrative units cannot scope an outbound spam rule), with every name Graph gave.
 */
import { stringList } from '../lib/lists.ts'
import type { GroupRef } from '../model/tenant.ts'
import type { RawDirectoryObject } from './raw.ts'

/** The groups among a mailbox's directory objects. An object without `@odata.type` counts as a group. */
export function normalizeMemberOf(rows: RawDirectoryObject[]): GroupRef[] {
  return rows
    .filter((row) => {
      const type = row['@odata.type']
      return typeof type !== 'string' || type.toLowerCase() === '#microsoft.graph.group'
    })
    .map((row) => ({
      id: row.id.trim().toLowerCase(),
      names: [row.displayName, row.mail, row.mailNickname, ...stringList(row.proxyAddresses)]
        .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
        .map((v) =>
          v
            .replace(/^smtp:/i, '')
            .trim()
            .toLowerCase()
        ),
    }))
}
