package ort

const libraryName = "libonnxruntime.so.1"
