// Package imaging holds the image pre- and post-processing of Samwise's SAM 3
// pipeline: decoding photos upright (EXIF orientation applied), turning
// images and raw video frames into the model's normalised CHW input tensor,
// and resizing low-resolution mask logits back to the original image size.
//
// The resampling follows the Hugging Face Sam3ImageProcessorFast and the
// public ONNX exports: the input is resized straight to S×S (no aspect ratio,
// no padding) with antialiased bilinear interpolation, rounded to whole bytes
// (the processor resizes uint8 tensors) and normalised as (v/255 − 0.5)/0.5;
// mask logits are upsampled with PyTorch's bilinear interpolation
// (align_corners=False) and thresholded at logit > 0.
//
// Entry points:
//
//   - [Decode], [DecodeLimit], [DecodeConfig]: JPEG, PNG, WebP, GIF and BMP,
//     upright, with a pixel-count guard against decompression bombs.
//   - [Orientation], [Orient]: the EXIF orientation and its transform.
//   - [ToTensor], [RGBToTensor]: model input from an image or an rgb24 frame.
//   - [ResizeRGB]: the same resampling for rgb24 frames, as bytes.
//   - [UpsampleLogits], [UpsampleThreshold]: masks at the original size.
//   - [UpsampleRuns]: the same thresholded mask as column-major run lengths
//     (COCO's counts), made without the mask.
//
// Functions that take sizes panic on impossible arguments (non-positive
// sizes, short buffers, wrong dst lengths): those are programming errors.
// Decode returns errors for every problem with the data and never panics.
// The heavy loops precompute their indices and weights once per call, avoid
// the color.Color interface for the usual image types, and spread row bands
// over up to GOMAXPROCS goroutines.
package imaging
