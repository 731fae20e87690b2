package model

import (
	"sort"
	"strings"
)

// Precisions of the public ONNX exports, as transformers.js names them.
const (
	PrecisionFP32  = "fp32"
	PrecisionFP16  = "fp16"
	PrecisionQ4F16 = "q4f16"
	PrecisionQ8    = "q8"
	PrecisionInt8  = "int8"
	PrecisionUInt8 = "uint8"
	PrecisionQ4    = "q4"
	PrecisionBNB4  = "bnb4"
)

// precisionSuffix maps a precision to the suffix transformers.js appends to a
// graph's base name: onnx/vision_encoder_fp16.onnx is the fp16 variant of
// onnx/vision_encoder.onnx.
var precisionSuffix = map[string]string{
	PrecisionFP32:  "",
	PrecisionFP16:  "_fp16",
	PrecisionQ4F16: "_q4f16",
	PrecisionQ8:    "_quantized",
	PrecisionInt8:  "_int8",
	PrecisionUInt8: "_uint8",
	PrecisionQ4:    "_q4",
	PrecisionBNB4:  "_bnb4",
}

// PrecisionSuffix returns the file-name suffix of a precision ("" for fp32)
// and whether the precision is known.
func PrecisionSuffix(precision string) (string, bool) {
	s, ok := precisionSuffix[precision]
	return s, ok
}

// graphFile is the path of a graph given its base path (without ".onnx") and
// a precision.
func graphFile(base, precision string) string {
	return base + precisionSuffix[precision] + ".onnx"
}

// splitGraphName splits a graph file name such as "vision_encoder_fp16.onnx"
// into its base ("vision_encoder") and precision ("fp16"). A name without a
// known suffix is fp32. ok is false when name is not an .onnx file.
func splitGraphName(name string) (base, precision string, ok bool) {
	stem, found := strings.CutSuffix(name, ".onnx")
	if !found || stem == "" {
		return "", "", false
	}
	// Longest suffix first: "_q4f16" must win over "_fp16"-like overlaps.
	best := ""
	for p, s := range precisionSuffix {
		if s != "" && strings.HasSuffix(stem, s) && len(s) > len(precisionSuffix[best]) {
			best = p
		}
	}
	if best == "" {
		return stem, PrecisionFP32, true
	}
	return strings.TrimSuffix(stem, precisionSuffix[best]), best, true
}

// isDataChunk reports whether p is an external-data file of graph g:
// "<g>_data" or "<g>_data_<n>" (g ends in ".onnx").
func isDataChunk(g, p string) bool {
	rest, ok := strings.CutPrefix(p, g+"_data")
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	digits, ok := strings.CutPrefix(rest, "_")
	if !ok || digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isDataFile reports whether p looks like any graph's external-data file.
func isDataFile(p string) bool {
	i := strings.LastIndex(p, ".onnx_data")
	return i > 0 && isDataChunk(p[:i+len(".onnx")], p)
}

// sortedPrecisions lists precisions in a stable, readable order.
func sortedPrecisions(ps []string) []string {
	order := map[string]int{}
	for i, p := range []string{PrecisionFP32, PrecisionFP16, PrecisionQ4F16, PrecisionQ8, PrecisionInt8, PrecisionUInt8, PrecisionQ4, PrecisionBNB4} {
		order[p] = i
	}
	out := append([]string(nil), ps...)
	sort.Slice(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })
	return out
}
