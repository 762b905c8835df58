/**
 * Checks for text people type into signed messages (case notes, tags, canned responses). Signatures
 * cover the UTF-8 bytes, so text must survive UTF-8 unchanged; and control characters have no place
 * in something a person typed and another will read.
 */

/**
 * Every surrogate half paired: text that UTF-8 carries unchanged. (A lone half becomes U+FFFD in
 * UTF-8, so two different texts would encode, and verify, alike.)
 */
export function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) return false
  }
  return true
}

/** A control character (C0 or DEL); tab, line feed and carriage return only when `lineBreaks` are allowed. */
export function hasControl(text: string, lineBreaks: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c < 0x20 || c === 0x7f) && !(lineBreaks && (c === 0x09 || c === 0x0a || c === 0x0d))) return true
  }
  return false
}

/** Text a person typed: well formed, no control characters but tab and line breaks. */
export const isTypedText = (text: string): boolean => isWellFormed(text) && !hasControl(text, true)
