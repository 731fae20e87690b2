//go:build !darwin && !linux

package ort

// autoOrder is what Auto tries elsewhere.
var autoOrder = []Provider{CPU}
