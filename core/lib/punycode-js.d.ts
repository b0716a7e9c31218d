/**
 * @module lib/punycode-js
 * Types for the `punycode.js` package (RFC 3492 / RFC 5891), which ships none.
 */
declare module 'punycode.js' {
  const punycode: {
    /** Domain or address with its `xn--` labels decoded to Unicode. */
    toUnicode(input: string): string
    /** Domain or address with its non-ASCII labels encoded as `xn--` labels. */
    toASCII(input: string): string
  }
  export default punycode
}
