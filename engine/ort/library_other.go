//go:build !linux && !darwin && !windows

package ort

const libraryName = "libonnxruntime.so"
