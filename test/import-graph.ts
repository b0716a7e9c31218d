/**
 * @module test/import-graph
 * The relative-import graph of a source tree, and its cycles: between files, and between the
 * folders those files sit in (a folder that imports another which imports it back is a cycle
 * too, even when no two files do). Type-only imports count: layering is about what knows what.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'

/** Every `.ts` file under `dir`. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g

/** file → the files it imports (relative imports only). */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(IMPORT)].map((m) => normalize(join(dirname(file), m[1]!)))
    graph.set(file, targets)
  }
  return graph
}

/** Strongly connected groups of more than one node (Tarjan). */
export function cycles(graph: Map<string, Iterable<string>>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string) => {
    index.set(node, next)
    low.set(node, next++)
    stack.push(node)
    onStack.add(node)
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue
      if (!index.has(to)) {
        visit(to)
        low.set(node, Math.min(low.get(node)!, low.get(to)!))
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!))
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        group.push(member)
      } while (member !== node)
      if (group.length > 1) found.push(group.sort())
    }
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

/** The folder graph of a file graph: folder → folders its files import from. */
export function folderGraph(files: Map<string, string[]>): Map<string, Set<string>> {
  const folders = new Map<string, Set<string>>()
  for (const [file, targets] of files) {
    const from = dirname(file)
    const set = folders.get(from) ?? new Set<string>()
    for (const target of targets) if (dirname(target) !== from) set.add(dirname(target))
    folders.set(from, set)
  }
  return folders
}
