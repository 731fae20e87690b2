package model_test

import (
	"testing"

	"github.com/samwise-app/samwise/engine/model"
)

func TestCatalog(t *testing.T) {
	e, ok := model.Lookup("sam3-tracker")
	if !ok || e.Repo != "onnx-community/sam3-tracker-ONNX" || e.Family != model.FamilyTracker || e.Task != model.TaskPVSImage || e.DefaultPrecision != "fp16" {
		t.Fatalf("Lookup(sam3-tracker) = %+v, %v", e, ok)
	}
	for _, c := range model.Catalog() {
		if !model.ValidName(c.Name) {
			t.Errorf("catalog name %q is not a valid bundle name", c.Name)
		}
		for _, p := range c.Precisions {
			if _, ok := model.PrecisionSuffix(p); !ok || !model.ValidName(c.InstallName(p)) {
				t.Errorf("%s: precision %q unusable", c.Name, p)
			}
		}
		roles := map[string]bool{}
		for _, g := range c.Graphs {
			roles[g.Role] = true
		}
		for _, r := range model.RequiredRoles(c.Family) {
			if !roles[r] {
				t.Errorf("%s: no %s graph for family %s", c.Name, r, c.Family)
			}
		}
	}
	// Catalog returns copies.
	model.Catalog()[0].Graphs[0].Base = "changed"
	if e2, _ := model.Lookup("sam3-tracker"); e2.Graphs[0].Base == "changed" {
		t.Error("Catalog exposes the table")
	}

	tests := []struct {
		name      string
		ok        bool
		precision string
		install   string
	}{
		{"sam3-tracker", true, "fp16", "sam3-tracker"},
		{"sam3-tracker-fp32", true, "fp32", "sam3-tracker-fp32"},
		{"sam3-tracker-q4f16", true, "q4f16", "sam3-tracker-q4f16"},
		{"sam3-tracker-int8", false, "", ""},
		{"sam3-video", false, "", ""},
		{"", false, "", ""},
	}
	for _, tt := range tests {
		e, prec, ok := model.ParseName(tt.name)
		if ok != tt.ok || prec != tt.precision || (ok && e.InstallName(prec) != tt.install) {
			t.Errorf("ParseName(%q) = %q, %q, %v; want precision %q, install %q, %v", tt.name, e.Name, prec, ok, tt.precision, tt.install, tt.ok)
		}
	}
	if got := e.LabelFor("q4f16"); got != "SAM 3 tracker (q4f16 encoder)" {
		t.Errorf("LabelFor = %q", got)
	}
}
