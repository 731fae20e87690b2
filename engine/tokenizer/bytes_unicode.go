package tokenizer

// The byte-level alphabet of GPT-2 and CLIP ("bytes_to_unicode"): every byte
// value maps to one printable rune, so that any UTF-8 string can be written
// as a string of vocabulary symbols without whitespace or control characters.
// Printable Latin-1 bytes map to themselves; the other 68 bytes (controls,
// space, DEL, NBSP, soft hyphen) map to U+0100 onwards in ascending byte order.

// byteAlphabet lists the byte values in the order CLIP's vocabulary lists
// their symbols: the self-mapped printable ranges first, then the rest.
var byteAlphabet [256]byte

// byteToRune maps a byte to its symbol in the byte-level alphabet.
var byteToRune [256]rune

// runeToByte maps a symbol of the byte-level alphabet back to its byte;
// -1 marks runes below maxByteRune that are not symbols.
var runeToByte [maxByteRune]int16

// maxByteRune is one past the largest rune of the byte-level alphabet.
const maxByteRune = 0x100 + 68

func init() {
	n := 0
	selfMapped := func(b int) bool {
		return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
	}
	for b := 0; b < 256; b++ {
		if selfMapped(b) {
			byteAlphabet[n] = byte(b)
			byteToRune[b] = rune(b)
			n++
		}
	}
	extra := 0
	for b := 0; b < 256; b++ {
		if !selfMapped(b) {
			byteAlphabet[n] = byte(b)
			byteToRune[b] = rune(0x100 + extra)
			n++
			extra++
		}
	}
	for i := range runeToByte {
		runeToByte[i] = -1
	}
	for b, r := range byteToRune {
		runeToByte[r] = int16(b)
	}
}

// byteSymbol returns the byte-level symbol of b as a string.
func byteSymbol(b byte) string {
	return string(byteToRune[b])
}
