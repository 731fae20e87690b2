package ort

// autoOrder is what Auto tries on macOS: CoreML (Apple Silicon), then CPU.
var autoOrder = []Provider{CoreML, CPU}
