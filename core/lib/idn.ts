/**
 * @module lib/idn
 * Internationalized domain names as an attacker uses them: the punycode form (`xn--…`) and the
 * Unicode form of a homoglyph of a real domain (Cyrillic `о` for Latin `o`). The ASCII form is
 * the web platform's own IDNA (UTS #46, through `URL`, the same in Node, Deno and workerd); the
 * Unicode form comes from `punycode.js` (RFC 3492/5891); look-alike characters from the
 * `unhomoglyph` package, which is Unicode's confusables.txt (UTS #39) as data, kept by nodeca.
 */
/// <reference types="./punycode-js.d.ts" />
import punycode from 'punycode.js'

export interface DomainForms {
  /** Lower-case ASCII (`xn--…` labels), what DNS and Exchange route on. */
  ascii: string
  /** The same domain with its `xn--` labels decoded, what a reader sees. */
  unicode: string
  /** True when the text was already written in its canonical form (no UTS #46 mapping). */
  canonical: boolean
}

const ASCII_DOMAIN =
  /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)+\.?$/

/** The forms of a domain, or undefined when it is no domain name at all. */
export function domainForms(text: string): DomainForms | undefined {
  if (text === '' || /[\s@/\\?#%[\]<>"|^`{}]/.test(text)) return undefined
  let ascii: string
  try {
    ascii = new URL(`http://${text}/`).hostname
  } catch {
    return undefined
  }
  if (!ASCII_DOMAIN.test(ascii)) return undefined
  let unicode = ascii
  try {
    unicode = punycode.toUnicode(ascii)
  } catch {
    // An `xn--` label that is not valid punycode stays as written.
  }
  // `ｃｏｎｔｏｓｏ.com` maps to `contoso.com`; it is not written as the tenant writes its domain.
  const written = text.toLowerCase()
  return { ascii, unicode, canonical: written === ascii || written === unicode }
}

/** True when the domain has a Unicode form a reader would not recognise from its ASCII one. */
export function isInternationalized(forms: DomainForms): boolean {
  return forms.unicode !== forms.ascii || !forms.canonical
}

/** The UTS #39 skeleton of a text: two texts that look alike have the same one. */
export type Skeleton = (text: string) => string

let loading: Promise<Skeleton> | undefined

/**
 * The UTS #39 skeleton (`cоntoso.com` and `contoso.com` share one), for comparison only, never
 * for display. Its data (Unicode's confusables.txt) is a third of core's size and only an
 * internationalized destination needs it, so it is imported on first use, as the freemail list is.
 */
export function loadSkeleton(): Promise<Skeleton> {
  loading ??= import('unhomoglyph').then(
    ({ default: unhomoglyph }) =>
      (text: string) =>
        unhomoglyph(text.normalize('NFD')).normalize('NFD').toLowerCase(),
    (error: unknown) => {
      loading = undefined
      throw error
    }
  )
  return loading
}
