package ort

const libraryName = "libonnxruntime.1.dylib"
