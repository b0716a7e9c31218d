import { describe, expect, it } from 'vitest'
import { displayWidth, neutralize, truncate } from '../../core/report/formats/safe-text.ts'

describe('safe text', () => {
  it('turns terminal escapes into visible text', () => {
    expect(neutralize('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m')
    expect(neutralize('a\nb\rc\td\u0000\u007f\u009b')).toBe('a\\x0ab\\x0dc\\x09d\\x00\\x7f\\x9b')
  })

  it('shows bidi overrides and zero-width characters instead of obeying them', () => {
    expect(neutralize('invoice\u202Egpj.exe')).toBe('invoice\\u{202E}gpj.exe')
    expect(neutralize('pay\u200Broll')).toBe('pay\\u{200B}roll')
    expect(neutralize('line\u2028break')).toBe('line\\u{2028}break')
  })

  it('replaces a lone surrogate with U+FFFD and keeps paired ones', () => {
    expect(neutralize('a\ud800b')).toBe('a\ufffdb')
    expect(neutralize('mail 📧')).toBe('mail 📧')
  })

  it('keeps tab, CR and LF only when asked', () => {
    expect(neutralize('a\tb\r\nc\u001b', true)).toBe('a\tb\r\nc\\x1b')
  })

  it('leaves ordinary international text alone', () => {
    const text = 'José Müller <jose@bücher.example> 田中'
    expect(neutralize(text)).toBe(text)
  })

  it('counts wide characters as two columns and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3)
    expect(displayWidth('田中')).toBe(4)
    expect(displayWidth('📧')).toBe(2)
    expect(displayWidth('e\u0301')).toBe(1)
  })

  it('truncates by columns with an ellipsis and never splits a character', () => {
    expect(truncate('abcdef', 4)).toBe('abc…')
    expect(truncate('abc', 3)).toBe('abc')
    expect(truncate('田中太郎', 5)).toBe('田中…')
    expect(truncate('📧📧📧', 4)).toBe('📧…')
    expect(truncate('abc', 0)).toBe('')
  })
})
