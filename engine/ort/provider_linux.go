package ort

// autoOrder is what Auto tries on Linux: CUDA (GPU workers), then CPU.
var autoOrder = []Provider{CUDA, CPU}
