package ort

import (
	"fmt"
	"strings"
)

// Provider names an execution provider choice.
type Provider string

// Execution providers. Auto picks the best that works on this machine
// (CUDA on Linux with an NVIDIA GPU, CoreML on Apple Silicon, else CPU).
const (
	CPU    Provider = "cpu"
	CoreML Provider = "coreml"
	CUDA   Provider = "cuda"
	Auto   Provider = "auto"
)

// ParseProvider validates a provider name.
func ParseProvider(s string) (Provider, error) {
	switch p := Provider(strings.ToLower(strings.TrimSpace(s))); p {
	case CPU, CoreML, CUDA, Auto:
		return p, nil
	case "":
		return Auto, nil
	}
	return "", fmt.Errorf("unknown execution provider %q: use cpu, coreml, cuda or auto", s)
}
