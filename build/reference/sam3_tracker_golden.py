#!/usr/bin/env python3
"""Golden outputs for Samwise's sam3-tracker bundle from the transformers reference (issue 8).

Builds a fixed-seed, randomly initialised Sam3TrackerModel of the real architecture with small
widths and depths, exports its vision encoder and its prompt encoder + mask decoder to ONNX with
the tensor names of onnx-community/sam3-tracker-ONNX, runs the reference processor + model on
real photos with point, box and multi-object prompts, and writes into --out:

  vision_encoder.onnx                 pixel_values -> image_embeddings.0/1/2 (weights inside)
  prompt_encoder_mask_decoder.onnx    points, labels, boxes, embeddings -> iou_scores,
                                      pred_masks, object_score_logits (weights inside)
  manifest.json                       a bundle manifest for `engine models import`
  cases.json                          versions, config, prompts, reference outputs (masks as
                                      COCO RLE), pixel samples and diagnostics

Needs Python 3.10+, torch, torchvision, transformers with SAM 3, onnx, onnxruntime, numpy and
Pillow (onnxscript too, should the dynamo exporter be needed). Nothing
is downloaded. Everything runs on the CPU in float32 and takes well under a minute; a GPU is not
needed. `--selftest` checks the helpers (RLE) with numpy alone.

Reference semantics (what the engine must reproduce):
  * images: PIL RGB, no EXIF rotation (the photos used carry none), the processor's resize to
    1008x1008 and normalisation;
  * prompts: processor coordinates (x*1008/W, y*1008/H), the model's forward with
    multimask_output=True (points-only prompts get the model's own padding point);
  * masks: processor.post_process_masks (logits to the original size, > 0), the candidate
    with the highest predicted IoU is "best".

The exported decoder is traced with input_boxes given, as the public export evidently was (its
users pass an empty [B,0,4] box tensor with points-only prompts, and [B,P,0,2] points with
boxes-only prompts). The diagnostics run that graph the way the engine feeds it and also with
an explicit padding point, so a difference between graph and reference shows up here before
the Go test runs.
"""

import argparse
import json
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np

SEED = 20261128
SIZE = 1008
REPO = Path(__file__).resolve().parents[2]
IMAGES = {
    "truck": "engine/imaging/testdata/truck.jpg",  # 1800x1200
    "groceries": "build/reference/images/groceries.jpg",  # 800x534
}
# Prompts in original image pixels. Objects of one case share a kind (points, box, or box and
# points) and a point count, as the reference processor needs for a batch without padding.
CASES = [
    {"name": "truck-point", "image": "truck", "objects": [{"points": [[1000, 560]], "labels": [1]}]},
    {"name": "truck-points-pos-neg", "image": "truck",
     "objects": [{"points": [[1000, 560], [640, 420], [1500, 900]], "labels": [1, 1, 0]}]},
    {"name": "truck-box", "image": "truck", "objects": [{"box": [150, 250, 1700, 1000]}]},
    {"name": "truck-box-point", "image": "truck",
     "objects": [{"box": [150, 250, 1700, 1000], "points": [[1000, 560]], "labels": [1]}]},
    {"name": "truck-two-objects", "image": "truck",
     "objects": [{"points": [[1000, 560]], "labels": [1]}, {"points": [[300, 1100]], "labels": [1]}]},
    {"name": "groceries-point", "image": "groceries", "objects": [{"points": [[400, 260]], "labels": [1]}]},
    {"name": "groceries-box", "image": "groceries", "objects": [{"box": [120, 80, 520, 480]}]},
    {"name": "groceries-two-boxes", "image": "groceries",
     "objects": [{"box": [120, 80, 520, 480]}, {"box": [500, 40, 790, 400]}]},
]
# Small widths and depths of the real architecture. The image size, patch size, feature sizes
# and decoder width stay real, so the graphs have the public export's tensor shapes
# (embeddings 32x288x288, 64x144x144, 256x72x72; masks 3x288x288).
CONFIG = {
    "vision_config": {
        "model_type": "sam3_vision_model",
        "backbone_config": {
            "model_type": "sam3_vit_model", "hidden_size": 64, "intermediate_size": 128,
            "num_hidden_layers": 2, "num_attention_heads": 2, "global_attn_indexes": [1],
            "window_size": 24, "image_size": SIZE, "patch_size": 14, "pretrain_image_size": 336,
        },
        "fpn_hidden_size": 256,
        "scale_factors": [4.0, 2.0, 1.0],
        "backbone_feature_sizes": [[288, 288], [144, 144], [72, 72]],
    },
    "prompt_encoder_config": {"hidden_size": 256, "image_size": SIZE, "patch_size": 14},
    "mask_decoder_config": {"hidden_size": 256, "mlp_dim": 256, "num_hidden_layers": 2,
                            "num_attention_heads": 8, "iou_head_hidden_dim": 64},
}
EMBEDDINGS = ["image_embeddings.0", "image_embeddings.1", "image_embeddings.2"]
DECODER_INPUTS = ["input_points", "input_labels", "input_boxes"] + EMBEDDINGS
DECODER_OUTPUTS = ["iou_scores", "pred_masks", "object_score_logits"]


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


# ---------------------------------------------------------------- COCO RLE (pycocotools format)

def rle_counts(mask):
    """Run lengths of a 2-D bool mask in column-major order, starting with a run of zeros."""
    flat = np.asarray(mask, dtype=np.uint8).ravel(order="F")
    if flat.size == 0:
        return []
    change = np.flatnonzero(np.diff(flat)) + 1
    runs = np.diff(np.concatenate([[0], change, [flat.size]])).tolist()
    return ([0] + runs) if flat[0] else runs


def rle_string(counts):
    """pycocotools' compressed counts string (rleToString)."""
    out = []
    for i, x in enumerate(counts):
        if i > 2:
            x -= counts[i - 2]
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = (x != -1) if (c & 0x10) else (x != 0)
            if more:
                c |= 0x20
            out.append(chr(c + 48))
    return "".join(out)


def coco_rle(mask):
    h, w = mask.shape
    return {"size": [int(h), int(w)], "counts": rle_string(rle_counts(mask))}


def mask_iou(a, b):
    union = np.logical_or(a, b).sum()
    return 1.0 if union == 0 else float(np.logical_and(a, b).sum() / union)


def selftest():
    """Known answers; build/golden_rle_test.go checks the encoder against engine/mask."""
    # A 3x3 mask with only the centre set: runs 4, 1, 4, compressed as "414".
    m = np.zeros((3, 3), dtype=bool)
    m[1, 1] = True
    assert rle_counts(m) == [4, 1, 4], rle_counts(m)
    assert coco_rle(m)["counts"] == "414", coco_rle(m)
    assert rle_counts(np.ones((2, 2), dtype=bool)) == [0, 4]
    print("selftest ok")


# ---------------------------------------------------------------- model

def build_model(torch, transformers):
    torch.manual_seed(SEED)
    config = transformers.Sam3TrackerConfig(**json.loads(json.dumps(CONFIG)))
    model = transformers.Sam3TrackerModel(config)
    try:  # plain matmul-softmax attention: the same arithmetic in torch and in the graph
        model.set_attn_implementation("eager")
    except Exception as e:  # noqa: BLE001 - any failure here only means the default attention
        log("keeping the default attention:", type(e).__name__, e)
    # transformers initialises with std 0.02, which makes deep random nets produce near-zero
    # logits whose sign is noise. Re-draw every weight at unit-variance scale (1/sqrt(fan_in))
    # so mask logits are O(1) and a threshold at 0 is a stable test; randomise the no-memory
    # embedding too (zero by default), so whether the graph adds it is observable.
    gen = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(p[0].numel()))
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
    return model.eval()


def attention_used(model):
    """The attention implementation each attention-bearing part ended up with (for the record)."""
    out = {}
    for name, cfg in (("model", model.config), ("vision_encoder", getattr(model.vision_encoder, "config", None)),
                      ("mask_decoder", getattr(model.mask_decoder, "config", None))):
        try:
            out[name] = str(cfg._attn_implementation)
        except Exception as e:  # noqa: BLE001
            out[name] = f"unknown ({type(e).__name__})"
    return out


def fpn_alias_shim(model):
    """transformers between PRs #42564 and #43487 (January 2026) had the tracker's
    get_image_features read `fpn_position_embeddings` from the vision encoder's output, whose
    field is `fpn_position_encoding` (AttributeError on every forward). Where the output class
    lacks the old name, alias it; the positional encodings are not used by the outputs here."""
    module = sys.modules.get(type(model.vision_encoder).__module__)
    cls = getattr(module, "Sam3VisionEncoderOutput", None)
    if cls is None or hasattr(cls, "fpn_position_embeddings"):
        return "not needed"

    def get(self):
        return self.fpn_position_encoding

    def put(self, value):
        self.fpn_position_encoding = value
    cls.fpn_position_embeddings = property(get, put)
    return f"aliased {cls.__name__}.fpn_position_embeddings -> fpn_position_encoding"


def all_half(values):
    """Whether a mean/std setting (a number or a sequence of them) is 0.5 throughout."""
    try:
        vals = [float(v) for v in values] if hasattr(values, "__iter__") else [float(values)]
    except (TypeError, ValueError):
        return False
    return bool(vals) and all(abs(v - 0.5) < 1e-6 for v in vals)


def build_processor(transformers):
    """The tracker processor with SAM 3's image settings, built locally (no hub access).

    Sam3ImageProcessorFast (torchvision) is SAM 3's own; transformers >= 5.4 renamed it
    Sam3ImageProcessor (the Fast name stays as a deprecated alias). Its defaults are SAM 3's:
    1008x1008, mask_size 288, mean = std = 0.5. The SAM 2 classes default to 1024 and ImageNet
    mean/std, so as fallbacks they get SAM 3's size and normalisation explicitly (the engine
    normalises with 0.5/0.5, engine/imaging/tensor.go)."""
    sam3 = {"size": {"height": SIZE, "width": SIZE}, "mask_size": {"height": 288, "width": 288}}
    norm = {"image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
    tried = []
    for cls_name, variants in (("Sam3ImageProcessorFast", (sam3, {"size": sam3["size"]})),
                               ("Sam3ImageProcessor", (sam3, {"size": sam3["size"]})),
                               ("Sam2ImageProcessorFast", ({**sam3, **norm}, {"size": sam3["size"], **norm})),
                               ("Sam2ImageProcessor", ({**sam3, **norm}, {"size": sam3["size"], **norm}))):
        try:
            cls = getattr(transformers, cls_name, None)
        except Exception as e:  # noqa: BLE001 - a lazy import that fails is as good as missing
            tried.append(f"{cls_name}: {type(e).__name__}: {e}")
            continue
        if cls is None:
            tried.append(f"{cls_name}: missing")
            continue
        for kwargs in variants:
            try:
                ip = cls(**kwargs)
                proc = transformers.Sam3TrackerProcessor(image_processor=ip)
                mean, std = getattr(ip, "image_mean", None), getattr(ip, "image_std", None)
                if not (all_half(mean) and all_half(std)):
                    log("WARNING: image processor mean/std are not SAM 3's 0.5/0.5:", mean, std)
                return proc, {"image_processor": cls_name, "class": type(ip).__name__, "kwargs": kwargs,
                              "tried": tried, "settings": ip.to_dict()}
            except Exception as e:  # noqa: BLE001 - report every attempt
                tried.append(f"{cls_name}({kwargs}): {type(e).__name__}: {e}")
    raise SystemExit("no image processor could be built:\n  " + "\n  ".join(tried))


def encoder_module(torch, model):
    """pixel_values -> the three image embeddings, as the tracker caches them."""
    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, pixel_values):
            e = self.m.get_image_embeddings(pixel_values)
            return e[0], e[1], e[2]
    return Encoder().eval()


def decoder_module(torch, model):
    """Prompt encoder + mask decoder with input_boxes always given (as in the public export):
    the model's forward minus its Python-level checks and defaults."""
    class Decoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, input_points, input_labels, input_boxes, e0, e1, e2):
            m = self.m
            pe = m.get_image_wide_positional_embeddings().repeat(e2.shape[0], 1, 1, 1)
            sparse, dense = m.prompt_encoder(input_points=input_points, input_labels=input_labels,
                                             input_boxes=input_boxes, input_masks=None)
            masks, iou, _, obj = m.mask_decoder(
                image_embeddings=e2, image_positional_embeddings=pe,
                sparse_prompt_embeddings=sparse, dense_prompt_embeddings=dense,
                multimask_output=True, high_resolution_features=[e0, e1])
            return iou, masks, obj
    return Decoder().eval()


def export(torch, onnx, module, args, path, inputs, outputs, dynamic_axes):
    """Exports with the TorchScript exporter (what the public export used), falling back to
    the dynamo exporter; saves one self-contained file and returns the exporter used.
    The dynamo exporter is asked for opset 18, its native one (for 17 it would have to run a
    version conversion, one more way to fail); ONNX Runtime runs opset 18."""
    errors = []
    for dynamo in (False, True):
        opset = 18 if dynamo else 17
        try:
            kw = dict(input_names=inputs, output_names=outputs, dynamic_axes=dynamic_axes,
                      opset_version=opset, dynamo=dynamo)
            with torch.no_grad():
                torch.onnx.export(module, args, str(path), **kw)
            m = onnx.load(str(path))  # pulls in external data, if any was written
            for f in path.parent.glob(path.name + "*"):
                if f != path:
                    f.unlink()
            onnx.save(m, str(path), save_as_external_data=False)
            onnx.checker.check_model(str(path))
            got_in = [i.name for i in m.graph.input if i.name in inputs]
            got_out = [o.name for o in m.graph.output]
            if got_in != inputs or got_out != outputs:
                raise RuntimeError(f"graph names {got_in} -> {got_out}, want {inputs} -> {outputs}")
            return f"{'dynamo' if dynamo else 'torchscript'} (opset {opset})"
        except Exception as e:  # noqa: BLE001 - try the other exporter, report both
            errors.append(f"dynamo={dynamo}: {type(e).__name__}: {e}")
            log("export failed:", errors[-1][:2000])
    raise SystemExit(f"could not export {path.name}:\n" + "\n".join(errors))


# ---------------------------------------------------------------- reference runs

def processor_args(case):
    objs = case["objects"]
    kinds = {("points" in o, "box" in o, len(o.get("points", []))) for o in objs}
    if len(kinds) != 1:
        raise SystemExit(f"case {case['name']}: objects must share prompt kind and point count")
    args = {}
    if "points" in objs[0]:
        args["input_points"] = [[o["points"] for o in objs]]
        args["input_labels"] = [[o["labels"] for o in objs]]
    if "box" in objs[0]:
        args["input_boxes"] = [[o["box"] for o in objs]]
    return args


def engine_feed(torch, inputs, n_obj, pad_point=False):
    """The decoder inputs the way Samwise's engine builds them (see engine/sam/tracker.go)."""
    pts, lab, box = inputs.get("input_points"), inputs.get("input_labels"), inputs.get("input_boxes")
    if pts is None:
        pts = torch.zeros(1, n_obj, 0, 2)
        lab = torch.zeros(1, n_obj, 0, dtype=torch.int64)
    elif pad_point and box is None:
        pts = torch.cat([pts, torch.zeros(1, n_obj, 1, 2)], dim=2)
        lab = torch.cat([lab, -torch.ones(1, n_obj, 1, dtype=torch.int64)], dim=2)
    if box is None:
        box = torch.zeros(1, 0, 4)
    return {"input_points": pts.float().numpy(), "input_labels": lab.long().numpy(),
            "input_boxes": box.float().numpy()}


def compare(torch, processor, ref, run, original_sizes, ref_masks):
    """How far the graph's outputs are from the reference's, after the same post-processing.
    A graph that fails to run is reported, not fatal: the golden outputs are still written."""
    try:
        iou, masks, obj = run()
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"[:2000]}
    post = processor.post_process_masks(torch.from_numpy(masks), original_sizes)[0].numpy()
    ious = [mask_iou(post[p, k], ref_masks[p, k]) for p in range(post.shape[0]) for k in range(post.shape[1])]
    return {
        "iou_scores_max_abs": float(np.abs(iou - ref.iou_scores.numpy()).max()),
        "object_score_max_abs": float(np.abs(obj - ref.object_score_logits.numpy()).max()),
        "low_res_logits_max_abs": float(np.abs(masks - ref.pred_masks.numpy()).max()),
        "mask_iou_min": min(ious),
    }


def pixel_samples(pixel_values, rng):
    yx = rng.integers(0, SIZE, size=(64, 2))
    pv = pixel_values[0]
    return {
        "channel_mean": [float(pv[c].mean()) for c in range(3)],
        "samples": [[int(y), int(x), [float(pv[c, y, x]) for c in range(3)]] for y, x in yx],
    }


def run_case(torch, Image, model, processor, ort_enc, ort_dec, case, images, rng):
    """The reference outputs and graph diagnostics of one case; images caches per-photo
    facts (and the encoder's embeddings under "_emb")."""
    key = case["image"]
    img = Image.open(REPO / IMAGES[key]).convert("RGB")
    w, h = img.size
    inputs = processor(images=img, return_tensors="pt", **processor_args(case))
    pv = inputs["pixel_values"]
    ref = model(pixel_values=pv, input_points=inputs.get("input_points"),
                input_labels=inputs.get("input_labels"), input_boxes=inputs.get("input_boxes"),
                multimask_output=True)
    ref_masks = processor.post_process_masks(ref.pred_masks, inputs["original_sizes"])[0].numpy()
    if key not in images:
        t_emb = [t.numpy() for t in model.get_image_embeddings(pv)]
        images[key] = {"path": IMAGES[key], "width": w, "height": h,
                       "pixel_values": pixel_samples(pv.numpy(), rng)}
        try:
            o_emb = ort_enc.run(None, {"pixel_values": pv.numpy()})
            images[key]["encoder_max_abs"] = [float(np.abs(o - t).max()) for o, t in zip(o_emb, t_emb)]
        except Exception as e:  # noqa: BLE001 - decode the reference's embeddings instead
            images[key]["encoder_error"] = f"{type(e).__name__}: {e}"[:2000]
            o_emb = t_emb
        images[key]["_emb"] = o_emb
    emb_feed = dict(zip(EMBEDDINGS, images[key]["_emb"]))
    n_obj = len(case["objects"])
    sizes = inputs["original_sizes"]

    def run_graph(pad_point=False):
        return lambda: ort_dec.run(None, {**engine_feed(torch, inputs, n_obj, pad_point), **emb_feed})
    diag = {"ort_as_engine": compare(torch, processor, ref, run_graph(), sizes, ref_masks)}
    if "input_boxes" not in inputs:
        diag["ort_with_padding_point"] = compare(torch, processor, ref, run_graph(True), sizes, ref_masks)
    # The engine upsamples the logits once, straight to the original size; 1.0 here means the
    # processor does the same (older transformers went through 1008x1008 first).
    once = torch.nn.functional.interpolate(ref.pred_masks[0], size=(h, w), mode="bilinear",
                                           align_corners=False).numpy() > 0
    diag["one_interpolation_mask_iou_min"] = min(
        mask_iou(once[p, k], ref_masks[p, k]) for p in range(n_obj) for k in range(once.shape[1]))
    objects = []
    for p in range(n_obj):
        iou = ref.iou_scores[0, p].tolist()
        best = int(np.argmax(iou))
        logits = ref.pred_masks[0, p].numpy()
        objects.append({
            "prompt": case["objects"][p],
            "iou_scores": iou,
            "object_score_logit": float(ref.object_score_logits[0, p, 0]),
            "best": best,
            "masks": [coco_rle(ref_masks[p, k]) for k in range(ref_masks.shape[1])],
            "areas": [int(ref_masks[p, k].sum()) for k in range(ref_masks.shape[1])],
            # How close to the threshold the low-resolution logits sit: the share within
            # 0.05 of 0 bounds how many pixels float noise can flip.
            "low_res_near_zero": float((np.abs(logits) < 0.05).mean()),
            "low_res_abs_mean": float(np.abs(logits).mean()),
        })
    return {"name": case["name"], "image": key, "objects": objects, "diagnostics": diag}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="folder to write the bundle and cases.json into")
    ap.add_argument("--selftest", action="store_true", help="check the RLE helpers and exit")
    a = ap.parse_args()
    if a.selftest:
        selftest()
        return
    if a.out is None:
        ap.error("--out is required")
    selftest()
    a.out.mkdir(parents=True, exist_ok=True)

    import onnx
    import onnxruntime as ort
    import torch
    try:  # transformers' modeling_sam3 and SAM 3 image processors import it at module level
        import torchvision
    except ImportError as e:
        raise SystemExit(f"torchvision is needed by transformers' SAM 3 model and processor: {e}")
    import transformers
    from PIL import Image

    torch.set_grad_enabled(False)
    torch.use_deterministic_algorithms(True, warn_only=True)
    versions = {"python": platform.python_version(), "torch": torch.__version__,
                "torchvision": torchvision.__version__,
                "transformers": transformers.__version__, "onnx": onnx.__version__,
                "onnxruntime": ort.__version__, "numpy": np.__version__}
    log("versions", versions)

    model = build_model(torch, transformers)
    compat = {"fpn_position_embeddings": fpn_alias_shim(model), "attention": attention_used(model)}
    log("compat", compat)
    processor, proc_info = build_processor(transformers)
    log("processor", proc_info["image_processor"], proc_info["kwargs"])
    n_params = sum(p.numel() for p in model.parameters())
    log(f"model: {n_params} parameters")

    # Export, with example object/point/box counts away from 0 and 1 so no exporter specialises
    # them (the batch stays 1, as the engine feeds it).
    enc_path, dec_path = a.out / "vision_encoder.onnx", a.out / "prompt_encoder_mask_decoder.onnx"
    enc, dec = encoder_module(torch, model), decoder_module(torch, model)
    px = torch.randn(1, 3, SIZE, SIZE)
    enc_exporter = export(torch, onnx, enc, (px,), enc_path, ["pixel_values"], EMBEDDINGS,
                          {"pixel_values": {0: "batch"}, **{n: {0: "batch"} for n in EMBEDDINGS}})
    emb = [t.clone() for t in enc(px)]
    ex = (torch.rand(1, 2, 3, 2) * SIZE, torch.tensor([[[1, 0, 1], [1, 1, 0]]]), torch.rand(1, 2, 4) * SIZE, *emb)
    dec_exporter = export(torch, onnx, dec, ex, dec_path, DECODER_INPUTS, DECODER_OUTPUTS, {
        "input_points": {0: "batch", 1: "objects", 2: "points"},
        "input_labels": {0: "batch", 1: "objects", 2: "points"},
        "input_boxes": {0: "batch", 1: "boxes"},
        **{n: {0: "batch"} for n in EMBEDDINGS},
        "iou_scores": {0: "batch", 1: "objects"},
        "pred_masks": {0: "batch", 1: "objects"},
        "object_score_logits": {0: "batch", 1: "objects"},
    })
    log("exported with", enc_exporter, "and", dec_exporter,
        f"({enc_path.stat().st_size} + {dec_path.stat().st_size} bytes)")
    so = ort.SessionOptions()
    ort_enc = ort.InferenceSession(str(enc_path), so, providers=["CPUExecutionProvider"])
    ort_dec = ort.InferenceSession(str(dec_path), so, providers=["CPUExecutionProvider"])

    rng = np.random.default_rng(SEED)
    images, results = {}, []
    for case in CASES:
        try:
            results.append(run_case(torch, Image, model, processor, ort_enc, ort_dec, case, images, rng))
        except Exception as e:  # noqa: BLE001 - keep the other cases; the log says what failed
            results.append({"name": case["name"], "error": f"{type(e).__name__}: {e}"[:2000]})
        log(case["name"], json.dumps(results[-1].get("diagnostics", results[-1].get("error"))))

    for v in images.values():
        v.pop("_emb", None)
    cases = {
        "about": "Golden outputs of the transformers SAM 3 tracker for the tiny random-weight graphs "
                 "beside this file; written by build/reference/sam3_tracker_golden.py.",
        "versions": versions, "seed": SEED, "config": CONFIG, "parameters": n_params,
        "exporters": {"vision_encoder": enc_exporter, "prompt_encoder_mask_decoder": dec_exporter},
        "processor": proc_info, "compat": compat, "images": images, "cases": results,
    }
    (a.out / "cases.json").write_text(json.dumps(cases, indent=1, default=str) + "\n")
    manifest = {
        "format": 1, "name": "sam3-tracker-tiny", "task": "pvs-image", "family": "sam3-tracker",
        "label": "SAM 3 tracker architecture, tiny random weights (test fixture)", "precision": "fp32",
        "graphs": {"vision_encoder": enc_path.name, "prompt_encoder_mask_decoder": dec_path.name},
        "extra": {},
    }
    (a.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    log("wrote", sorted(p.name for p in a.out.iterdir()))
    failed = [r["name"] for r in results if "error" in r]
    if failed:
        log("cases that failed:", failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
