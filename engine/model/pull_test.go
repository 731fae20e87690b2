package model_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/model"
	"github.com/samwise-app/samwise/engine/model/modeltest"
)

// newHub serves a copy of the tracker repository at main.
func newHub(t *testing.T) *modeltest.Hub {
	t.Helper()
	h := modeltest.NewHub(t)
	h.AddRepo(modeltest.TrackerRepo, "main", modeltest.TrackerFiles()...)
	return h
}

func trackerData(path string) []byte {
	for _, f := range modeltest.TrackerFiles() {
		if f.Path == path {
			return f.Data
		}
	}
	panic("no test file " + path)
}

// stagingFile is where a pull of name keeps file while it downloads.
func stagingFile(reg *model.Registry, name, file string) string {
	return filepath.Join(reg.Dir(), model.StagingDir, name, filepath.FromSlash(file))
}

func TestPullPrecisions(t *testing.T) {
	common := []string{"config.json", "manifest.json", "onnx/prompt_encoder_mask_decoder.onnx", "onnx/prompt_encoder_mask_decoder.onnx_data", "preprocessor_config.json"}
	tests := []struct {
		spec    model.PullSpec
		name    string
		prec    string
		label   string
		encoder string
		extra   []string
	}{
		{model.PullSpec{Name: "sam3-tracker"}, "sam3-tracker", "fp16", "SAM 3 tracker (fp16 encoder)", "onnx/vision_encoder_fp16.onnx",
			[]string{"onnx/vision_encoder_fp16.onnx", "onnx/vision_encoder_fp16.onnx_data", "onnx/vision_encoder_fp16.onnx_data_1"}},
		{model.PullSpec{Name: "sam3-tracker", Precision: "fp16"}, "sam3-tracker", "fp16", "SAM 3 tracker (fp16 encoder)", "onnx/vision_encoder_fp16.onnx",
			[]string{"onnx/vision_encoder_fp16.onnx", "onnx/vision_encoder_fp16.onnx_data", "onnx/vision_encoder_fp16.onnx_data_1"}},
		{model.PullSpec{Name: "sam3-tracker", Precision: "fp32"}, "sam3-tracker-fp32", "fp32", "SAM 3 tracker (fp32 encoder)", "onnx/vision_encoder.onnx",
			[]string{"onnx/vision_encoder.onnx", "onnx/vision_encoder.onnx_data"}},
		{model.PullSpec{Name: "sam3-tracker-q4f16"}, "sam3-tracker-q4f16", "q4f16", "SAM 3 tracker (q4f16 encoder)", "onnx/vision_encoder_q4f16.onnx",
			[]string{"onnx/vision_encoder_q4f16.onnx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.spec.Precision, func(t *testing.T) {
			hub := newHub(t)
			reg := openRegistry(t)
			progressed := map[string]int64{}
			p := &model.Puller{Endpoint: hub.URL, Progress: func(file string, done, total int64) {
				if done > total || done < progressed[file] {
					t.Errorf("progress %s: %d of %d after %d", file, done, total, progressed[file])
				}
				progressed[file] = done
			}}
			b, err := p.Pull(t.Context(), reg, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			m := b.Manifest
			if b.Name() != tt.name || m.Name != tt.name || m.Precision != tt.prec || m.Label != tt.label ||
				m.Family != model.FamilyTracker || m.Task != model.TaskPVSImage || m.Format != model.FormatVersion {
				t.Errorf("manifest = %+v", m)
			}
			if m.Source.Repo != modeltest.TrackerRepo || m.Source.Revision != "main" {
				t.Errorf("source = %+v", m.Source)
			}
			if m.Graphs[model.RoleVisionEncoder] != tt.encoder || m.Graphs[model.RoleMaskDecoder] != "onnx/prompt_encoder_mask_decoder.onnx" {
				t.Errorf("graphs = %v", m.Graphs)
			}
			if m.Extra["preprocessor_config.json"] != "preprocessor_config.json" || m.Extra["processor_config.json"] != "" {
				t.Errorf("extra = %v", m.Extra)
			}
			want := append(slices.Clone(common), tt.extra...)
			slices.Sort(want)
			if got := listTree(t, b.Dir); !slices.Equal(got, want) {
				t.Errorf("installed\n got %v\nwant %v", got, want)
			}
			for _, f := range m.Files {
				if f.SHA256 != modeltest.SHA256(trackerData(f.Path)) || f.Size != int64(len(trackerData(f.Path))) {
					t.Errorf("manifest entry %+v does not match the hub's file", f)
				}
				if progressed[f.Path] != f.Size {
					t.Errorf("progress for %s ended at %d of %d", f.Path, progressed[f.Path], f.Size)
				}
			}
			if err := b.Verify(t.Context(), nil); err != nil {
				t.Error(err)
			}
			if pages, _ := hub.TreeRequests(); pages < 2 {
				t.Errorf("listing took %d pages; the test hub pages every 3 entries", pages)
			}
			if _, err := os.Stat(filepath.Join(reg.Dir(), model.StagingDir, tt.name)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("staging folder left after a pull: %v", err)
			}
		})
	}
}

func TestPullResumesAfterCut(t *testing.T) {
	const file = "onnx/vision_encoder_fp16.onnx_data"
	size := int64(len(trackerData(file)))
	const cut = 700_000
	hub := newHub(t)
	hub.SetFault(file, modeltest.Fault{CutAfter: cut})
	reg := openRegistry(t)
	p := &model.Puller{Endpoint: hub.URL}

	_, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
	mustContain(t, err, file, "pull again to resume")
	part := stagingFile(reg, "sam3-tracker", file) + ".part"
	if fi, err := os.Stat(part); err != nil || fi.Size() != cut {
		t.Fatalf("part after the cut: %v, %v; want %d bytes", fi, err, cut)
	}
	if _, err := os.Stat(stagingFile(reg, "sam3-tracker", file)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a partial file is under its final name: %v", err)
	}
	if _, err := reg.Get("sam3-tracker"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an interrupted pull installed the bundle: %v", err)
	}

	b, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
	if err != nil {
		t.Fatal(err)
	}
	var cdn []modeltest.Request
	for _, r := range hub.Requests(file) {
		if r.Server == "cdn" {
			cdn = append(cdn, r)
		}
	}
	if len(cdn) != 2 || cdn[0].Range != "" || cdn[1].Range != fmt.Sprintf("bytes=%d-", cut) || cdn[1].Status != 206 {
		t.Errorf("downloads of %s: %+v; want a full request then Range: bytes=%d-", file, cdn, cut)
	}
	if got := hub.BytesServed(file); got != size {
		t.Errorf("served %d bytes of %s in all, want %d (the file once)", got, file, size)
	}
	// Files finished before the cut were not fetched again.
	if n := len(hub.Requests("config.json")); n != 1 {
		t.Errorf("config.json fetched %d times, want 1", n)
	}
	if err := b.Verify(t.Context(), nil); err != nil {
		t.Error(err)
	}
}

func TestPullRetriesWithinOnePull(t *testing.T) {
	const file = "onnx/prompt_encoder_mask_decoder.onnx_data"
	hub := newHub(t)
	hub.SetFault(file, modeltest.Fault{CutAfter: 300_000})
	reg := openRegistry(t)
	p := &model.Puller{Endpoint: hub.URL, Retries: 2}
	if _, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"}); err != nil {
		t.Fatal(err)
	}
	if got, want := hub.BytesServed(file), int64(len(trackerData(file))); got != want {
		t.Errorf("served %d bytes, want %d", got, want)
	}
	reqs := hub.Requests(file)
	if last := reqs[len(reqs)-1]; last.Range != "bytes=300000-" {
		t.Errorf("retry sent Range %q", last.Range)
	}
}

func TestPullRangeAnswers(t *testing.T) {
	const file = "onnx/vision_encoder_fp16.onnx_data"
	data := trackerData(file)
	size := int64(len(data))
	corrupt := slices.Clone(data)
	corrupt[10] ^= 1
	tests := []struct {
		name    string
		part    []byte          // left by an earlier run
		fault   modeltest.Fault // while resuming
		status  int             // answer to the resuming request
		served  int64           // bytes of file served while resuming
		fetches int             // content answers while resuming
	}{
		{"server ignores the range", data[:500_000], modeltest.Fault{IgnoreRange: true}, 200, size, 1},
		{"part complete", data, modeltest.Fault{}, 416, 0, 1},
		{"part complete but corrupt", corrupt, modeltest.Fault{}, 416, size, 2},
		{"part longer than the file", append(slices.Clone(data), 1, 2, 3), modeltest.Fault{}, 200, size, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hub := newHub(t)
			hub.SetFault(file, tt.fault)
			reg := openRegistry(t)
			writeTree(t, filepath.Join(reg.Dir(), model.StagingDir, "sam3-tracker"), map[string][]byte{file + ".part": tt.part})
			p := &model.Puller{Endpoint: hub.URL}
			b, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
			if err != nil {
				t.Fatal(err)
			}
			var answers []modeltest.Request
			for _, r := range hub.Requests(file) {
				if r.Server == "cdn" {
					answers = append(answers, r)
				}
			}
			if len(answers) != tt.fetches || answers[0].Status != tt.status {
				t.Errorf("answers = %+v; want %d, first with status %d", answers, tt.fetches, tt.status)
			}
			if got := hub.BytesServed(file); got != tt.served {
				t.Errorf("served %d bytes, want %d", got, tt.served)
			}
			if err := b.Verify(t.Context(), nil); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestPullBadHash(t *testing.T) {
	tests := []struct {
		file  string
		fault modeltest.Fault
		algo  string
	}{
		{"onnx/prompt_encoder_mask_decoder.onnx_data", modeltest.Fault{WrongSHA256: true}, "sha256"},
		{"config.json", modeltest.Fault{WrongOID: true}, "git blob sha1"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			hub := newHub(t)
			hub.SetFault(tt.file, tt.fault)
			reg := openRegistry(t)
			p := &model.Puller{Endpoint: hub.URL, Retries: 3}
			_, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
			data := trackerData(tt.file)
			got := modeltest.SHA256(data)
			if tt.algo != "sha256" {
				got = modeltest.GitBlobSHA1(data)
			}
			mustContain(t, err, tt.file, tt.algo, got)
			var hm *model.HashMismatchError
			if !errors.As(err, &hm) || hm.Path != tt.file || hm.Got != got || hm.Want == got || len(hm.Want) != len(got) {
				t.Errorf("error %v: want a *HashMismatchError with both hashes", err)
			}
			if n := len(hub.Requests(tt.file)); n > 2 { // LFS: hub redirect + CDN
				t.Errorf("a hash mismatch was retried: %d requests", n)
			}
			for _, p := range []string{stagingFile(reg, "sam3-tracker", tt.file), stagingFile(reg, "sam3-tracker", tt.file) + ".part"} {
				if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s exists after a hash mismatch", p)
				}
			}
			if _, err := reg.Get("sam3-tracker"); !errors.Is(err, model.ErrNotFound) {
				t.Errorf("bundle installed despite a bad file: %v", err)
			}
		})
	}
}

func TestPullAuth(t *testing.T) {
	hub := newHub(t)
	hub.SetToken("hf_test_token")
	reg := openRegistry(t)

	_, err := (&model.Puller{Endpoint: hub.URL}).Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
	if !errors.Is(err, model.ErrGated) {
		t.Fatalf("pull without a token = %v, want ErrGated", err)
	}
	mustContain(t, err, "gated", "HF_TOKEN")

	_, err = (&model.Puller{Endpoint: hub.URL, Token: "wrong"}).Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
	if !errors.Is(err, model.ErrGated) {
		t.Fatalf("pull with a wrong token = %v, want ErrGated", err)
	}
	mustContain(t, err, "token was refused")
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error shows the token: %v", err)
	}

	hub.ResetCounters()
	if _, err := (&model.Puller{Endpoint: hub.URL, Token: "hf_test_token"}).Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"}); err != nil {
		t.Fatal(err)
	}
	if pages, auth := hub.TreeRequests(); pages == 0 || auth != pages {
		t.Errorf("%d of %d listing pages carried the token", auth, pages)
	}
	for _, r := range hub.AllRequests() {
		if r.Server == "hub" && !r.Auth {
			t.Errorf("hub request for %s without the token", r.Path)
		}
		if r.Server == "cdn" && r.Auth {
			t.Errorf("the token was sent to the storage host for %s", r.Path)
		}
	}
}

func TestPullNotFound(t *testing.T) {
	hub := newHub(t)
	other, _ := model.Lookup("sam3-tracker")
	other.Repo = "nobody/nothing"
	tests := []struct {
		name string
		spec model.PullSpec
	}{
		{"unknown repository", model.PullSpec{Entry: &other}},
		{"unknown revision", model.PullSpec{Name: "sam3-tracker", Revision: "v9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := (&model.Puller{Endpoint: hub.URL}).Pull(t.Context(), openRegistry(t), tt.spec)
			if !errors.Is(err, model.ErrRepoNotFound) {
				t.Fatalf("Pull = %v, want ErrRepoNotFound", err)
			}
			mustContain(t, err, "repository or revision not found")
		})
	}
}

func TestPullRejects(t *testing.T) {
	hub := modeltest.NewHub(t)
	var files []modeltest.File
	for _, f := range modeltest.TrackerFiles() {
		if !strings.Contains(f.Path, "q4f16") {
			files = append(files, f)
		}
	}
	hub.AddRepo(modeltest.TrackerRepo, "main", files...)
	tests := []struct {
		spec  model.PullSpec
		parts []string
	}{
		{model.PullSpec{Name: "sam3-foo"}, []string{"not in the catalog", "pullable models: sam3-tracker"}},
		{model.PullSpec{Name: "../sam3-tracker"}, []string{"not in the catalog"}},
		{model.PullSpec{Name: "sam3-tracker", Precision: "int8"}, []string{"fp32, fp16, q4f16"}},
		{model.PullSpec{Name: "sam3-tracker-fp32", Precision: "fp16"}, []string{"names precision fp32"}},
		{model.PullSpec{Name: "sam3-tracker", Precision: "q4f16"}, []string{"onnx/vision_encoder_q4f16.onnx", "choose a precision it has: fp32, fp16"}},
	}
	for _, tt := range tests {
		t.Run(tt.spec.Name+"/"+tt.spec.Precision, func(t *testing.T) {
			reg := openRegistry(t)
			_, err := (&model.Puller{Endpoint: hub.URL}).Pull(t.Context(), reg, tt.spec)
			mustContain(t, err, tt.parts...)
			if n := len(hub.AllRequests()); n != 0 {
				t.Errorf("%d downloads for a rejected pull", n)
			}
		})
	}
}

func TestPullCancelThenResume(t *testing.T) {
	const file = "onnx/vision_encoder_fp16.onnx_data"
	const stall = 400_000
	hub := newHub(t)
	hub.SetFault(file, modeltest.Fault{StallAfter: stall})
	reg := openRegistry(t)
	ctx, cancel := context.WithCancel(t.Context())
	p := &model.Puller{Endpoint: hub.URL, Retries: 5, Progress: func(f string, done, _ int64) {
		if f == file && done == stall {
			cancel() // the hub holds the connection open, sending nothing
		}
	}}
	_, err := p.Pull(ctx, reg, model.PullSpec{Name: "sam3-tracker"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Pull = %v, want context.Canceled", err)
	}
	if fi, err := os.Stat(stagingFile(reg, "sam3-tracker", file) + ".part"); err != nil || fi.Size() != stall {
		t.Fatalf("part after cancel: %v, %v; want %d bytes", fi, err, stall)
	}
	hub.SetFault(file, modeltest.Fault{})
	if _, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"}); err != nil {
		t.Fatal(err)
	}
	reqs := hub.Requests(file)
	if last := reqs[len(reqs)-1]; last.Range != fmt.Sprintf("bytes=%d-", stall) {
		t.Errorf("resume sent Range %q", last.Range)
	}
}

func TestPullUpToDateAndUpdate(t *testing.T) {
	hub := newHub(t)
	reg := openRegistry(t)
	calls := 0
	p := &model.Puller{Endpoint: hub.URL, Progress: func(string, int64, int64) { calls++ }}
	if _, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"}); err != nil {
		t.Fatal(err)
	}
	hub.ResetCounters()
	calls = 0
	if _, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"}); err != nil {
		t.Fatal(err)
	}
	if n := len(hub.AllRequests()); n != 0 || calls != 0 {
		t.Errorf("pull of an up-to-date bundle: %d downloads, %d progress calls", n, calls)
	}

	// The repository changes: the next pull brings the new files.
	files := modeltest.TrackerFiles()
	for i := range files {
		if files[i].Path == "config.json" {
			files[i].Data = []byte(`{"model_type": "sam3_tracker", "v": 2}`)
		}
	}
	hub.AddRepo(modeltest.TrackerRepo, "main", files...)
	b, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(b.Dir, "config.json"))
	if !strings.Contains(string(got), `"v": 2`) {
		t.Errorf("config.json not updated: %s", got)
	}
	if err := b.Verify(t.Context(), nil); err != nil {
		t.Error(err)
	}
}

func TestPullFromTwoRepositories(t *testing.T) {
	hub := newHub(t)
	hub.AddRepo("someone/sam3-extra", "v1",
		modeltest.File{Path: "decoder_special.onnx", Data: modeltest.Data(4000, 40), LFS: true},
		modeltest.File{Path: "decoder_special.onnx_data", Data: modeltest.Data(1<<20+5, 41), LFS: true},
		modeltest.File{Path: "constants.json", Data: []byte(`{"k": 1}`)},
	)
	e, _ := model.Lookup("sam3-tracker")
	e.Name = "mixed"
	e.Graphs[1] = model.GraphSpec{Role: model.RoleMaskDecoder, Base: "decoder_special", Precision: "fp32", Repo: "someone/sam3-extra", Revision: "v1"}
	e.Extras = append(e.Extras, model.ExtraSpec{Name: "constants", Path: "constants.json", Repo: "someone/sam3-extra", Revision: "v1"})
	reg := openRegistry(t)
	b, err := (&model.Puller{Endpoint: hub.URL}).Pull(t.Context(), reg, model.PullSpec{Entry: &e})
	if err != nil {
		t.Fatal(err)
	}
	if b.Manifest.Graphs[model.RoleMaskDecoder] != "decoder_special.onnx" || b.Manifest.Extra["constants"] != "constants.json" {
		t.Errorf("manifest = %+v", b.Manifest)
	}
	if p, err := b.Path(model.RoleMaskDecoder); err != nil || !strings.HasSuffix(p, "decoder_special.onnx") {
		t.Errorf("Path = %q, %v", p, err)
	}
	if _, err := os.Stat(filepath.Join(b.Dir, "decoder_special.onnx_data")); err != nil {
		t.Error(err)
	}
	if err := b.Verify(t.Context(), nil); err != nil {
		t.Error(err)
	}
}

func TestPullStalledThenRemove(t *testing.T) {
	const file = "onnx/vision_encoder_fp16.onnx_data"
	hub := newHub(t)
	hub.SetFault(file, modeltest.Fault{StallAfter: 200_000})
	reg := openRegistry(t)
	p := &model.Puller{Endpoint: hub.URL, StallTimeout: 300 * time.Millisecond}
	_, err := p.Pull(t.Context(), reg, model.PullSpec{Name: "sam3-tracker"})
	mustContain(t, err, file, "no data received", "pull again to resume")
	if _, err := os.Stat(stagingFile(reg, "sam3-tracker", file) + ".part"); err != nil {
		t.Fatalf("part not kept after a stall: %v", err)
	}
	// rm of a model that only has an interrupted download clears it.
	if err := reg.Remove("sam3-tracker"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(reg.Dir(), model.StagingDir, "sam3-tracker")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("interrupted download kept after Remove: %v", err)
	}
	if err := reg.Remove("sam3-tracker"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("second Remove = %v, want ErrNotFound", err)
	}
}
