package ort

const libraryName = "onnxruntime.dll"
