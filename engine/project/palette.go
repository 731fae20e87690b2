package project

import "regexp"

// Palette gives labels distinct, readable colours, in order.
var Palette = []string{
	"#e6194b", "#3cb44b", "#0082c8", "#f58230", "#911eb4", "#46f0f0",
	"#f032e6", "#d2f53c", "#fabed4", "#008080", "#dcbeff", "#aa6e28",
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// ValidColor reports whether c is "#rrggbb".
func ValidColor(c string) bool { return colorRE.MatchString(c) }
