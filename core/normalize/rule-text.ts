/**
 * @module normalize/rule-text
 * Readable condition lines shared by the rule normalizers: `subject contains 'invoice' or 'wire'`.
 */

/** Quote a value the way a report shows it; control characters become visible. */
export function quote(value: string): string {
  return `'${value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`
}

/** `label 'a' or 'b'` for a list condition; undefined when the list is empty. */
export function listLine(label: string, values: string[]): string | undefined {
  return values.length === 0 ? undefined : `${label} ${values.map(quote).join(' or ')}`
}
