import { describe, expect, it } from 'vitest'
import { AuditError } from '../../core/errors/errors.ts'
import {
  formatReport,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
} from '../../core/report/formats/index.ts'
import { cleanReport, demoReport, hostileReport } from './fixtures.ts'

describe('formatReport', () => {
  it('renders every listed format to non-empty text ending in a newline', () => {
    for (const format of OUTPUT_FORMATS) {
      for (const report of [demoReport, hostileReport, cleanReport]) {
        const out = formatReport(report, format, {})
        expect(out.length).toBeGreaterThan(0)
        expect(out.endsWith('\n')).toBe(true)
      }
    }
  })

  it('does not change the report it renders', () => {
    const before = structuredClone(demoReport)
    for (const format of OUTPUT_FORMATS) formatReport(demoReport, format, { color: true })
    expect(demoReport).toEqual(before)
  })

  it('recognises exactly the listed formats', () => {
    expect(OUTPUT_FORMATS.every(isOutputFormat)).toBe(true)
    expect(isOutputFormat('xml')).toBe(false)
    expect(isOutputFormat(undefined)).toBe(false)
  })

  it('rejects an unknown format from an untyped caller with INVALID_REQUEST', () => {
    const call = () => formatReport(demoReport, 'xml' as OutputFormat)
    expect(call).toThrow(AuditError)
    try {
      call()
    } catch (err) {
      expect((err as AuditError).code).toBe('INVALID_REQUEST')
      expect((err as AuditError).userFixable).toBe(true)
      expect((err as Error).message).toContain('table, json, csv, markdown, sarif')
    }
  })
})
