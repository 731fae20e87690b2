package modeltest

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
)

// TrackerRepo is the repository the catalog's sam3-tracker entry pulls.
const TrackerRepo = "onnx-community/sam3-tracker-ONNX"

// Data returns n deterministic pseudo-random bytes.
func Data(n int, seed uint64) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	b := make([]byte, n)
	rand.NewChaCha8(key).Read(b)
	return b
}

var trackerOnce = sync.OnceValue(trackerFiles)

// TrackerFiles returns small files laid out like onnx-community/sam3-tracker-ONNX:
// fp32, fp16 (two data chunks) and q4f16 (no data file) encoders, fp32 and
// fp16 decoders, config.json and preprocessor_config.json (no
// processor_config.json), a README and .gitattributes. Several files are
// larger than 1 MiB. The slice is new on each call; the Data buffers are
// shared, so replace them rather than modify them.
func TrackerFiles() []File { return append([]File(nil), trackerOnce()...) }

func trackerFiles() []File {
	return []File{
		{Path: ".gitattributes", Data: []byte("*.onnx filter=lfs diff=lfs merge=lfs -text\n*.onnx_data* filter=lfs diff=lfs merge=lfs -text\n")},
		{Path: "README.md", Data: []byte("# sam3-tracker-ONNX (test copy)\n")},
		{Path: "config.json", Data: []byte(`{"model_type": "sam3_tracker"}` + "\n")},
		{Path: "preprocessor_config.json", Data: []byte(`{"size": {"height": 1008, "width": 1008}, "image_mean": [0.5, 0.5, 0.5]}` + "\n")},
		{Path: "onnx/vision_encoder.onnx", Data: Data(2000, 1), LFS: true},
		{Path: "onnx/vision_encoder.onnx_data", Data: Data(1<<20+1234, 2), LFS: true},
		{Path: "onnx/vision_encoder_fp16.onnx", Data: Data(1500, 3), LFS: true},
		{Path: "onnx/vision_encoder_fp16.onnx_data", Data: Data(3<<19, 4), LFS: true},
		{Path: "onnx/vision_encoder_fp16.onnx_data_1", Data: Data(300_000, 5), LFS: true},
		{Path: "onnx/vision_encoder_q4f16.onnx", Data: Data(600_000, 6), LFS: true},
		{Path: "onnx/prompt_encoder_mask_decoder.onnx", Data: Data(3000, 7), LFS: true},
		{Path: "onnx/prompt_encoder_mask_decoder.onnx_data", Data: Data(1<<20+77, 8), LFS: true},
		{Path: "onnx/prompt_encoder_mask_decoder_fp16.onnx", Data: Data(2500, 9), LFS: true},
		{Path: "onnx/prompt_encoder_mask_decoder_fp16.onnx_data", Data: Data(600_000, 10), LFS: true},
	}
}
